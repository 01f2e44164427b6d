using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace WeComPS.Sandbox
{
    // Async import jobs: media/upload, batch/syncuser, batch/replaceuser, batch/replaceparty and batch/getresult. Every row
    // goes through the same rules as user/create, user/update and department/create|update|delete; a job applies
    // JobRowsPerSecond rows a second in the background of the calls, and only the last 5 jobs' results are kept.
    public sealed partial class WeComSandbox
    {
        private const int KeptJobs = 5;
        private const int MaxUploadBytes = 20 * 1024 * 1024;
        private static readonly string[] UserTemplate = { "姓名", "帐号", "手机号", "邮箱", "所在部门", "职位", "性别", "是否部门内领导", "排序", "别名", "地址", "座机", "禁用" };
        private readonly Dictionary<string, byte[]> _media = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        private readonly List<SandboxJob> _jobs = new List<SandboxJob>();
        private readonly HashSet<string> _purgedJobs = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<int> _pendingDepartmentDeletes = new HashSet<int>();
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        /// <summary>How many rows a job (import or export) gets through per second; WeCom gives no figure.</summary>
        public double JobRowsPerSecond { get; set; } = 20000;

        private Dictionary<string, Func<Call, JsonObject>> JobRoutes()
        {
            // Batch jobs change the directory: contacts-sync secret only. Any secret may upload.
            return new Dictionary<string, Func<Call, JsonObject>>(StringComparer.Ordinal)
            {
                ["media/upload"] = Upload,
                ["batch/syncuser"] = ContactsSyncOnly(c => StartUserJob(c, replace: false)),
                ["batch/replaceuser"] = ContactsSyncOnly(c => StartUserJob(c, replace: true)),
                ["batch/replaceparty"] = ContactsSyncOnly(StartDepartmentJob),
                ["batch/getresult"] = ContactsSyncOnly(GetJobResult),
            };
        }

        private JsonObject Upload(Call c)
        {
            if (!c.Query.TryGetValue("type", out var type) || type != "file")
            {
                throw new ApiError(40004, "invalid media type: import files are uploaded with type=file");
            }

            var file = c.Form?["media"] ?? throw new ApiError(41005, "media data missing: send the file as the multipart field 'media'");
            if (file.Content.Length < 5 || file.Content.Length > MaxUploadBytes)
            {
                throw new ApiError(40006, $"invalid file size: a file is 5 bytes to {MaxUploadBytes / 1024 / 1024} MB");
            }

            var mediaId = "3sbx" + Guid.NewGuid().ToString("N");
            _media[mediaId] = file.Content;
            return new JsonObject { ["type"] = "file", ["media_id"] = mediaId, ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) };
        }

        /// <summary>The rows of the uploaded file <c>media_id</c>; 40092 when it is not a CSV with the <paramref name="required"/> columns.</summary>
        private List<Dictionary<string, string>> ImportRows(Call c, params string[] required)
        {
            var mediaId = BodyString(c.Body, "media_id") ?? throw InvalidParameter("media_id");
            if (!_media.TryGetValue(mediaId, out var file))
            {
                throw new ApiError(40007, "invalid media_id");
            }

            var rows = SandboxCsv.Read(file, out var error) ?? throw new ApiError(40092, "invalid import file: " + error);
            if (rows.Count == 0 || required.Any(column => !rows[0].ContainsKey(column)))
            {
                throw new ApiError(40092, $"invalid import file: it needs the columns {string.Join(",", required)} and at least one row");
            }

            return rows;
        }

        private JsonObject StartUserJob(Call c, bool replace)
        {
            var rows = ImportRows(c, "帐号");
            var deletes = new List<string>();
            if (replace)
            {
                var kept = new HashSet<string>(rows.Select(r => r["帐号"]), StringComparer.OrdinalIgnoreCase);
                deletes = _users.Keys.Where(id => !kept.Contains(id)).ToList();
                var total = _users.Count;
                // WeCom refuses a replace that would delete more than 50 members and 20%, or up to 50 but over 80%.
                if (deletes.Count > 50 ? deletes.Count * 5 > total : deletes.Count * 5 > total * 4)
                {
                    throw new ApiError(45026, $"delete user count exceed limit: the replace would delete {deletes.Count} of {total} members");
                }
            }

            var app = c.App;
            return Start(
                replace ? "replace_user" : "sync_user",
                rows.Select(row => (Func<JsonObject>)(() => ApplyUserRow(app, row))).ToList(),
                () =>
                {
                    RemoveUsers(deletes.Where(_users.ContainsKey).ToList());
                    DeletePendingDepartments();
                });
        }

        /// <summary>Adds or updates the member of one row, with user/create's or user/update's rules.</summary>
        private JsonObject ApplyUserRow(SandboxApp app, Dictionary<string, string> row)
        {
            var userId = row["帐号"];
            var result = new JsonObject { ["userid"] = userId };
            return Outcome(result, () =>
            {
                var body = new JsonObject { ["userid"] = userId };
                var attrs = new JsonArray();
                foreach (var cell in row.Where(c => c.Value.Length > 0))
                {
                    switch (cell.Key)
                    {
                        case "姓名": body["name"] = cell.Value; break;
                        case "手机号": body["mobile"] = cell.Value; break;
                        case "邮箱": body["email"] = cell.Value; break;
                        case "所在部门": body["department"] = Cells(cell.Value, v => v); break;
                        case "职位": body["position"] = cell.Value; break;
                        case "性别": body["gender"] = cell.Value switch { "男" => "1", "女" => "2", _ => cell.Value }; break;
                        case "是否部门内领导": body["is_leader_in_dept"] = Cells(cell.Value, v => v switch { "是" => "1", "否" => "0", _ => v }); break;
                        case "排序": body["order"] = Cells(cell.Value, v => v); break;
                        case "别名": body["alias"] = cell.Value; break;
                        case "地址": body["address"] = cell.Value; break;
                        case "座机": body["telephone"] = cell.Value; break;
                        case "禁用": body["enable"] = cell.Value switch { "1" => "0", "0" => "1", _ => cell.Value }; break;
                        case var key when key == "帐号" || key.StartsWith("禁用项说明", StringComparison.Ordinal):
                            break;
                        default:
                            // Any other column is an extended attribute (扩展属性) by name.
                            attrs.Add(new JsonObject { ["type"] = 0, ["name"] = cell.Key, ["text"] = new JsonObject { ["value"] = cell.Value } });
                            break;
                    }
                }

                if (attrs.Count > 0)
                {
                    body["extattr"] = new JsonObject { ["attrs"] = attrs };
                }

                var call = new Call(app, new Dictionary<string, string>(), body);
                _ = _users.ContainsKey(userId) ? UpdateUser(call) : CreateUser(call);
            });
        }

        private JsonObject StartDepartmentJob(Call c)
        {
            var rows = ImportRows(c, "部门名称", "部门ID", "父部门ID");
            var ids = new HashSet<string>(rows.Select(r => r["部门ID"]), StringComparer.Ordinal);
            _pendingDepartmentDeletes.RemoveWhere(id => ids.Contains(id.ToString(CultureInfo.InvariantCulture)));

            // Parents before children, whatever the order of the file.
            var parents = rows.GroupBy(r => r["部门ID"]).ToDictionary(g => g.Key, g => g.First()["父部门ID"], StringComparer.Ordinal);
            int Depth(Dictionary<string, string> row)
            {
                var depth = 0;
                for (var parent = row["父部门ID"]; parents.TryGetValue(parent, out var next) && depth <= parents.Count; parent = next)
                {
                    depth++;
                }

                return depth;
            }

            var app = c.App;
            return Start(
                "replace_party",
                rows.Select((row, i) => (row, i)).OrderBy(r => Depth(r.row)).ThenBy(r => r.i).Select(r => (Func<JsonObject>)(() => ApplyDepartmentRow(app, r.row))).ToList(),
                () =>
                {
                    // Departments not in the file go when they are empty; the others wait until a member import empties them.
                    _pendingDepartmentDeletes.UnionWith(_departments.Keys.Where(id => id != RootDepartmentId && !ids.Contains(id.ToString(CultureInfo.InvariantCulture))));
                    DeletePendingDepartments();
                });
        }

        /// <summary>Creates or changes the department of one row, with department/create's or department/update's rules; reports what changed.</summary>
        private JsonObject ApplyDepartmentRow(SandboxApp app, Dictionary<string, string> row)
        {
            var result = new JsonObject { ["action"] = 0, ["partyid"] = int.TryParse(row["部门ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0 };
            return Outcome(result, () =>
            {
                var body = new JsonObject { ["id"] = row["部门ID"], ["name"] = row["部门名称"], ["parentid"] = row["父部门ID"] };
                if (row.TryGetValue("排序", out var order) && order.Length > 0 && order != "0")
                {
                    body["order"] = order;
                }

                var id = BodyInt(body, "id") ?? 0;
                var call = new Call(app, new Dictionary<string, string>(), body);
                if (!_departments.TryGetValue(id, out var before))
                {
                    CreateDepartment(call);
                    result["action"] = 1;
                    return;
                }

                before = new SandboxDepartment { Name = before.Name, ParentId = before.ParentId, Order = before.Order };
                UpdateDepartment(call);
                var after = _departments[id];
                result["action"] = (after.Name != before.Name ? 2 : 0) | (after.ParentId != before.ParentId ? 4 : 0) | (after.Order != before.Order ? 8 : 0);
            });
        }

        /// <summary>Deletes, deepest first, the departments a replace left out that have become empty.</summary>
        private void DeletePendingDepartments()
        {
            foreach (var id in _pendingDepartmentDeletes.OrderByDescending(Depth).ToList())
            {
                try
                {
                    if (_departments.ContainsKey(id))
                    {
                        DeleteDepartment(new Call(_apps.Values.First(), new Dictionary<string, string> { ["id"] = id.ToString(CultureInfo.InvariantCulture) }, new JsonObject()));
                    }

                    _pendingDepartmentDeletes.Remove(id);
                }
                catch (ApiError)
                {
                    // Still has members or sub-departments: kept until a later import empties it.
                }
            }
        }

        /// <summary>Runs <paramref name="apply"/> and records its errcode and errmsg in <paramref name="result"/>.</summary>
        private static JsonObject Outcome(JsonObject result, Action apply)
        {
            try
            {
                apply();
                result["errcode"] = 0;
                result["errmsg"] = "ok";
            }
            catch (ApiError error)
            {
                result["errcode"] = error.Code;
                result["errmsg"] = error.Message;
            }

            return result;
        }

        private static JsonArray Cells(string value, Func<string, string> item) =>
            new JsonArray(value.Split(new[] { ';', '；' }, StringSplitOptions.RemoveEmptyEntries).Select(v => (JsonNode?)JsonValue.Create(item(v.Trim()))).ToArray());

        private JsonObject Start(string type, List<Func<JsonObject>> rows, Action finish)
        {
            var job = new SandboxJob("sbxjob" + Guid.NewGuid().ToString("N"), type, _clock.Elapsed, rows, finish);
            return new JsonObject { ["jobid"] = Keep(_jobs, job) };
        }

        /// <summary>Adds <paramref name="job"/>; WeCom keeps only the last 5 results, and the work of an older job is done all the same.</summary>
        private string Keep<T>(List<T> jobs, T job)
            where T : SandboxTimedJob
        {
            jobs.Add(job);
            while (jobs.Count > KeptJobs)
            {
                jobs[0].Advance(jobs[0].Total);
                _purgedJobs.Add(jobs[0].Id);
                jobs.RemoveAt(0);
            }

            return job.Id;
        }

        /// <summary>The job named by the <c>jobid</c> query parameter: 40088 when missing or unknown, 40089 when its result is no longer kept.</summary>
        private T FindJob<T>(List<T> jobs, Call c)
            where T : SandboxTimedJob
        {
            var id = c.Query.TryGetValue("jobid", out var raw) && raw.Length > 0 ? raw : throw new ApiError(40088, "jobid missing");
            return jobs.FirstOrDefault(j => j.Id == id)
                ?? throw (_purgedJobs.Contains(id) ? new ApiError(40089, "job result expired: only the last 5 jobs' results are kept") : new ApiError(40088, "invalid jobid"));
        }

        /// <summary>Brings every job up to date with the clock: called before each call is served.</summary>
        private void AdvanceJobs()
        {
            foreach (var job in _jobs.Concat<SandboxTimedJob>(_exportJobs))
            {
                var done = job.Done;
                job.Advance(RowsDue(job));
                if (job.Done != done && job is SandboxJob)
                {
                    // An import changed members outside any API call: what reads keep about them is stale.
                    _membersByDepartment = null;
                }
            }
        }

        private int RowsDue(SandboxTimedJob job) =>
            JobRowsPerSecond <= 0 ? int.MaxValue : (int)Math.Min(int.MaxValue, (_clock.Elapsed - job.StartedAt).TotalSeconds * JobRowsPerSecond);

        private JsonObject GetJobResult(Call c)
        {
            var job = FindJob(_jobs, c);
            var answer = new JsonObject
            {
                ["status"] = job.Done == 0 && job.Rows.Count > 0 ? 1 : job.Finished ? 3 : 2,
                ["type"] = job.Type,
                ["total"] = job.Rows.Count,
                ["percentage"] = job.Rows.Count == 0 ? 100 : job.Done * 100 / job.Rows.Count,
            };
            if (job.Finished)
            {
                answer["result"] = new JsonArray(job.Results.Select(r => (JsonNode?)r.DeepClone()).ToArray());
            }

            return answer;
        }

        /// <summary>Work that a job gets through row by row as time passes.</summary>
        private abstract class SandboxTimedJob
        {
            protected SandboxTimedJob(string id, TimeSpan startedAt)
            {
                Id = id;
                StartedAt = startedAt;
            }

            public string Id { get; }
            public TimeSpan StartedAt { get; }
            public abstract int Total { get; }
            public int Done { get; protected set; }
            public bool Finished { get; protected set; }

            /// <summary>Does the work of rows up to <paramref name="due"/>; at the last, finishes the job.</summary>
            public void Advance(int due)
            {
                for (; Done < Math.Min(due, Total); Done++)
                {
                    Step(Done);
                }

                if (!Finished && Done >= Total && due >= Total)
                {
                    Finished = true;
                    Finish();
                }
            }

            protected abstract void Step(int row);

            protected virtual void Finish()
            {
            }
        }

        private sealed class SandboxJob : SandboxTimedJob
        {
            private readonly Action _finish;

            public SandboxJob(string id, string type, TimeSpan startedAt, List<Func<JsonObject>> rows, Action finish)
                : base(id, startedAt)
            {
                Type = type;
                Rows = rows;
                _finish = finish;
            }

            public string Type { get; }
            public List<Func<JsonObject>> Rows { get; }
            public List<JsonObject> Results { get; } = new List<JsonObject>();
            public override int Total => Rows.Count;

            protected override void Step(int row) => Results.Add(Rows[row]());

            protected override void Finish() => _finish();
        }
    }
}
