using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>
    /// WeCom's export jobs (D/94849): export/simple_user, export/user, export/department and export/taguser, polled with
    /// export/get_result. WeComPS makes a new key for each export, downloads every file of data_list, checks its size and
    /// md5, decrypts it (see <see cref="WeComExportCrypto"/>) and reads its records.
    /// <para>Each decrypted file is one UTF-8 JSON object with the records of its block (D/94854): <c>userlist</c> (the
    /// fields of user/get for export/user; userid, name, department and open_userid, as user/simplelist, for
    /// export/simple_user), <c>department</c> (the fields of department/list), and for export/taguser <c>tagname</c>,
    /// <c>userlist</c> (userid and name) and <c>partylist</c>, the tagged department ids.</para>
    /// </summary>
    internal sealed class ExportOperations
    {
        /// <summary>Records per file asked of WeCom (its minimum, 10^4): each file is read in one piece.</summary>
        public const int BlockSize = 10000;
        private const string ResultPath = "export/get_result";
        private readonly WeComConnection _connection;

        internal ExportOperations(WeComConnection connection) => _connection = connection;

        /// <summary>The longest wait between two polls of a running export; the first poll comes after a tenth of it.</summary>
        public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>Every member in the secret's visible scope: userid and departments only with <paramref name="simple"/> (export/simple_user), else full records (export/user).</summary>
        public async IAsyncEnumerable<WeComUser> ExportUsersAsync(bool simple, IProgress<WeComProgress>? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var file in ExportAsync(simple ? "export/simple_user" : "export/user", null, progress, cancellationToken).ConfigureAwait(false))
            {
                foreach (var user in file.Items("userlist"))
                {
                    yield return UserOperations.Parse(user);
                }
            }
        }

        /// <summary>Every department in the secret's visible scope (export/department), in tree order with Path and Depth.</summary>
        public async Task<IReadOnlyList<WeComDepartment>> ExportDepartmentsAsync(IProgress<WeComProgress>? progress, CancellationToken cancellationToken)
        {
            var departments = new List<WeComDepartment>();
            await foreach (var file in ExportAsync("export/department", null, progress, cancellationToken).ConfigureAwait(false))
            {
                departments.AddRange(file.Items("department").Select(DepartmentOperations.Parse));
            }

            return DepartmentOperations.Arrange(departments);
        }

        /// <summary>The users (with their departments), then the departments, that carry tag <paramref name="tagId"/> (export/taguser).</summary>
        public async IAsyncEnumerable<WeComTagMember> ExportTagMembersAsync(int tagId, IProgress<WeComProgress>? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var departments = new List<int>();
            string? tagName = null;
            await foreach (var file in ExportAsync("export/taguser", tagId, progress, cancellationToken).ConfigureAwait(false))
            {
                tagName = file.Str("tagname") ?? tagName;
                foreach (var user in file.Items("userlist"))
                {
                    yield return new WeComTagUser { TagId = tagId, TagName = tagName, UserId = user.Str("userid") ?? "", Name = user.Str("name"), Department = user.IntArray("department") };
                }

                departments.AddRange(file.IntArray("partylist") ?? new int[0]);
            }

            foreach (var id in departments.Distinct())
            {
                yield return new WeComTagDepartment { TagId = tagId, TagName = tagName, DepartmentId = id };
            }
        }

        /// <summary>Starts the export, waits for it, then yields each file decrypted and parsed, in data_list order.</summary>
        private async IAsyncEnumerable<JsonElement> ExportAsync(string path, int? tagId, IProgress<WeComProgress>? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var key = WeComExportCrypto.NewKey();
            var body = new Dictionary<string, object> { ["encoding_aeskey"] = key, ["block_size"] = BlockSize };
            if (tagId is { } tag)
            {
                body["tagid"] = tag;
            }

            // Members and departments are exported with a secret that may read them (the app secret where WeCom refuses
            // them to the contacts-sync secret, 48009); a tag's members with the connection's secret. The result is read
            // with the secret that started the export, as WeCom requires.
            var (client, started) = tagId is null
                ? await _connection.Routing.ReadDetailsAsync(c => c.PostAsync(path, body, cancellationToken)).ConfigureAwait(false)
                : (_connection.Client, await _connection.Client.PostAsync(path, body, cancellationToken).ConfigureAwait(false));
            var jobId = started.Str("jobid") ?? throw WeComException.FromTransport(path, "the answer has no jobid", transient: false, WeComErrorKind.InvalidResponse);
            var files = (await WaitAsync(client, path, jobId, progress, cancellationToken).ConfigureAwait(false)).Items("data_list").ToList();
            for (var i = 0; i < files.Count; i++)
            {
                var shown = $"export file {i + 1} of {files.Count} of job {jobId}";
                progress?.Report(new WeComProgress(Msg.Get("Downloading", shown), i, files.Count));
                var url = Uri.TryCreate(files[i].Str("url"), UriKind.Absolute, out var u) ? u : throw WeComException.FromTransport(ResultPath, $"{shown} has no valid url", transient: false, WeComErrorKind.InvalidResponse);
                var size = files[i].Long("size");
                var md5 = files[i].Str("md5");
                var cipher = await client.DownloadAsync(url, shown, bytes => Check(bytes, size, md5), cancellationToken).ConfigureAwait(false);
                using var document = JsonDocument.Parse(WeComExportCrypto.Decrypt(cipher, key));
                yield return document.RootElement.Clone();
            }

            progress?.Report(new WeComProgress(Msg.Get("Downloaded", jobId), files.Count, files.Count));
        }

        /// <summary>Polls export/get_result until the export is done (status 2); a failed export (3) is an error.</summary>
        private Task<JsonElement> WaitAsync(WeComClient client, string path, string jobId, IProgress<WeComProgress>? progress, CancellationToken cancellationToken) =>
            Polling.UntilDoneAsync(
                async (polls, ct) =>
                {
                    var root = await client.GetAsync(ResultPath, "jobid=" + Uri.EscapeDataString(jobId), ct).ConfigureAwait(false);
                    var status = root.Int("status");
                    if (status == 3)
                    {
                        throw WeComException.Rejected("ExportJobFailed", $"WeCom could not complete the export job {jobId} ({path}).", ResultPath, "Run the export again; if it keeps failing, quote the job id to WeCom support.");
                    }

                    progress?.Report(new WeComProgress(Msg.Get("WaitingForExport", jobId, path, polls), status == 2 ? 1 : 0, 1));
                    return (status == 2, root);
                },
                MaxPollInterval,
                cancellationToken);

        /// <summary>Why the downloaded bytes are not the file data_list describes, or null.</summary>
        private static string? Check(byte[] bytes, long? size, string? md5)
        {
            if (size is { } expected && bytes.Length != expected)
            {
                return $"the file has {bytes.Length} bytes, not the {expected} WeCom announced";
            }

            using var hash = MD5.Create();
            var actual = string.Concat(hash.ComputeHash(bytes).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
            return md5 is null || string.Equals(actual, md5, StringComparison.OrdinalIgnoreCase) ? null : $"the file's md5 is {actual}, not the {md5} WeCom announced";
        }
    }
}
