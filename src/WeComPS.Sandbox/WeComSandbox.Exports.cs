using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace WeComPS.Sandbox
{
    // Export jobs: export/simple_user, export/user, export/department, export/taguser and export/get_result. The records
    // are taken when the job starts, within the caller's visible scope, and served as AES-256-CBC encrypted files
    // (PKCS#7 padding to 32 bytes) at PublicBaseUri/export-files/<id>?sign=..., valid 2 hours.
    //
    // Each file is one UTF-8 JSON object holding at most block_size records (D/94854):
    //   export/simple_user  {"userlist":[{"userid","name","department":[...],"open_userid"}]}
    //   export/user         {"userlist":[the records of user/get]}
    //   export/department   {"department":[the records of department/list]}
    //   export/taguser      {"tagname","userlist":[{"userid","name"}],"partylist":[...]} (partylist in the first file)
    // Only the secret that started an export may read its result.
    public sealed partial class WeComSandbox
    {
        /// <summary>The path export files are served under, outside /cgi-bin/.</summary>
        public const string ExportFileRoute = "export-files";
        private static readonly TimeSpan ExportFileLifetime = TimeSpan.FromHours(2);
        private readonly List<SandboxExportJob> _exportJobs = new List<SandboxExportJob>();
        private readonly Dictionary<string, ExportFile> _exportFiles = new Dictionary<string, ExportFile>(StringComparer.Ordinal);
        private int _corruptDownloads;

        /// <summary>Where the sandbox is reached, for the URLs of export files; the HTTP host sets its own address.</summary>
        public Uri PublicBaseUri { get; set; } = new Uri("https://sandbox.wecomps.invalid/");

        /// <summary>For tests: records per export file instead of the caller's block_size (WeCom's minimum is 10,000).</summary>
        public int ExportRecordsPerFile { get; set; }

        /// <summary>The next <paramref name="times"/> export file downloads answer damaged bytes (one byte flipped).</summary>
        public void CorruptExportDownloads(int times = 1)
        {
            lock (_gate)
            {
                _corruptDownloads += times;
            }
        }

        private static bool IsExportFile(string path) => path.StartsWith(ExportFileRoute + "/", StringComparison.Ordinal);

        private Dictionary<string, Func<Call, JsonObject>> ExportRoutes() => new Dictionary<string, Func<Call, JsonObject>>(StringComparer.Ordinal)
        {
            ["export/simple_user"] = c => StartExport(c, ExportUsers(c, SimpleUserRecord), "userlist", null),
            ["export/user"] = c => StartExport(c, ExportUsers(c, u => UserJson(u, c.App, full: true)), "userlist", null),
            ["export/department"] = c => StartExport(c, VisibleSubtree(c).Select(d => DepartmentJson(d, full: true)).ToList(), "department", null),
            ["export/taguser"] = ExportTagUsers,
            ["export/get_result"] = GetExportResult,
        };

        private List<JsonObject> ExportUsers(Call c, Func<SandboxUser, JsonObject> record)
        {
            var visible = ScopeOf(c.App);
            return _users.Values.Where(visible.Sees).OrderBy(u => u.UserId, StringComparer.Ordinal).Select(record).ToList();
        }

        private JsonObject ExportTagUsers(Call c)
        {
            var tag = ExistingTag(BodyInt(c.Body, "tagid") ?? throw new ApiError(40068, "invalid tagid"));
            var visible = ScopeOf(c.App);
            var users = tag.Users.Select(id => _users.TryGetValue(id, out var u) ? u : null).OfType<SandboxUser>().Where(visible.Sees);
            var records = users.Select(u => new JsonObject { ["userid"] = u.UserId, ["name"] = u.Name }).ToList();
            var parties = Array(tag.Departments.Where(visible.Departments.Contains).Select(d => (JsonNode)d));
            return StartExport(c, records, "userlist", parties, tag.Name);
        }

        private static bool IsAsciiLetterOrDigit(char ch) => (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');

        /// <summary>A row of export/simple_user, as user/simplelist shows a member, with the member's open_userid.</summary>
        private static JsonObject SimpleUserRecord(SandboxUser u) => new JsonObject
        {
            ["userid"] = u.UserId,
            ["name"] = u.Name,
            ["department"] = Array(u.Department.Select(d => (JsonNode)d)),
            ["open_userid"] = "wosbx" + u.UserId.ToLowerInvariant(),
        };

        private JsonObject StartExport(Call c, List<JsonObject> records, string listName, JsonArray? partyList, string? tagName = null)
        {
            var aesKey = BodyString(c.Body, "encoding_aeskey");
            byte[]? key = null;
            try
            {
                // 43 characters from the 62 letters and digits: no '+' or '/'.
                key = aesKey?.Length == 43 && aesKey.All(IsAsciiLetterOrDigit) ? Convert.FromBase64String(aesKey + "=") : null;
            }
            catch (FormatException)
            {
            }

            if (key?.Length != 32)
            {
                throw new ApiError(40058, "invalid Request Parameter, encoding_aeskey must be 43 characters from a-z, A-Z, 0-9");
            }

            var blockSize = BodyLong(c.Body, "block_size") ?? 1000000;
            if (blockSize < 10000 || blockSize > 1000000)
            {
                throw new ApiError(40058, "invalid Request Parameter, block_size must be 10^4 to 10^6");
            }

            var perFile = ExportRecordsPerFile > 0 ? ExportRecordsPerFile : (int)blockSize;
            var files = new List<JsonObject>();
            for (var start = 0; start == 0 || start < records.Count; start += perFile)
            {
                var part = new JsonObject();
                if (tagName != null)
                {
                    part["tagname"] = tagName;
                }

                part[listName] = new JsonArray(records.Skip(start).Take(perFile).Select(r => (JsonNode?)r).ToArray());
                if (partyList != null && start == 0)
                {
                    part["partylist"] = partyList;
                }

                files.Add(Publish(Encrypt(Encoding.UTF8.GetBytes(part.ToJsonString()), key)));
            }

            return new JsonObject { ["jobid"] = Keep(_exportJobs, new SandboxExportJob("sbxexport" + Guid.NewGuid().ToString("N"), _clock.Elapsed, records.Count, files, c.App.Identity)) };
        }

        private JsonObject GetExportResult(Call c)
        {
            var job = FindJob(_exportJobs, c);
            if (job.Owner != c.App.Identity)
            {
                // "获取任务结果的调用身份需要与提交任务的一致": to any other secret the job does not exist.
                throw new ApiError(40088, "invalid jobid: the export was started with another secret");
            }

            // 0 pending, 1 running, 2 done (3, failed, does not happen here).
            var answer = new JsonObject { ["status"] = job.Finished ? 2 : job.Done == 0 ? 0 : 1 };
            if (job.Finished)
            {
                answer["data_list"] = new JsonArray(job.Files.Select(f => (JsonNode?)f.DeepClone()).ToArray());
            }

            return answer;
        }

        /// <summary>Stores an encrypted file and describes it as data_list does: url, size, md5.</summary>
        private JsonObject Publish(byte[] content)
        {
            var id = Guid.NewGuid().ToString("N");
            var sign = Guid.NewGuid().ToString("N");
            _exportFiles[id] = new ExportFile(content, sign, DateTime.UtcNow + ExportFileLifetime);
            using var md5 = MD5.Create();
            return new JsonObject
            {
                ["url"] = new Uri(PublicBaseUri, $"{ExportFileRoute}/{id}?sign={sign}").AbsoluteUri,
                ["size"] = content.Length,
                ["md5"] = string.Concat(md5.ComputeHash(content).Select(b => b.ToString("x2", CultureInfo.InvariantCulture))),
            };
        }

        /// <summary>Serves an export file to whoever has its signed URL, as a CDN would: no access token.</summary>
        private SandboxResponse ServeExportFile(string path, Dictionary<string, string> args)
        {
            if (!_exportFiles.TryGetValue(path.Substring(ExportFileRoute.Length + 1), out var file))
            {
                return new SandboxResponse(404, "not found");
            }

            if (!args.TryGetValue("sign", out var sign) || sign != file.Sign || file.ExpiresAt <= DateTime.UtcNow)
            {
                return new SandboxResponse(403, "forbidden: the link is not signed or has expired");
            }

            var content = file.Content;
            if (_corruptDownloads > 0)
            {
                _corruptDownloads--;
                content = (byte[])content.Clone();
                content[content.Length / 2] ^= 0xFF;
            }

            return new SandboxResponse(200, content, "application/octet-stream");
        }

        /// <summary>An export file as WeCom encrypts it: AES-256-CBC, IV the key's first 16 bytes, PKCS#7 padding to a multiple of 32 bytes.</summary>
        internal static byte[] Encrypt(byte[] plain, byte[] key)
        {
            var pad = 32 - (plain.Length % 32);
            var padded = plain.Concat(Enumerable.Repeat((byte)pad, pad)).ToArray();
            using var aes = Aes.Create();
            aes.Mode = CipherMode.CBC;
            aes.Padding = PaddingMode.None;
            aes.Key = key;
            aes.IV = key.Take(16).ToArray();
            using var encryptor = aes.CreateEncryptor();
            return encryptor.TransformFinalBlock(padded, 0, padded.Length);
        }

        private sealed class ExportFile
        {
            public ExportFile(byte[] content, string sign, DateTime expiresAt)
            {
                Content = content;
                Sign = sign;
                ExpiresAt = expiresAt;
            }

            public byte[] Content { get; }
            public string Sign { get; }
            public DateTime ExpiresAt { get; }
        }

        /// <summary>An export whose files are ready when its records have been "processed".</summary>
        private sealed class SandboxExportJob : SandboxTimedJob
        {
            public SandboxExportJob(string id, TimeSpan startedAt, int records, List<JsonObject> files, string owner)
                : base(id, startedAt)
            {
                Total = records;
                Files = files;
                Owner = owner;
            }

            /// <summary>The identity of the app that started the export.</summary>
            public string Owner { get; }

            public override int Total { get; }
            public List<JsonObject> Files { get; }

            protected override void Step(int row)
            {
            }
        }
    }
}
