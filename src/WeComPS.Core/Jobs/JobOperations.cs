using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>
    /// WeCom's async imports (D/90979): the input is compared with the directory (<see cref="PlanUsersAsync"/>,
    /// <see cref="PlanDepartmentsAsync"/>), written as CSV in WeCom's template, uploaded (media/upload), started
    /// (batch/syncuser, batch/replaceuser, batch/replaceparty) and polled (batch/getresult). Needs the contacts-sync secret.
    /// </summary>
    public sealed class JobOperations
    {
        private const string ResultPath = "batch/getresult";
        /// <summary>WeCom keeps the results of its last 5 jobs; the plans of a few more are kept to name their rows.</summary>
        private const int PlansKept = 20;
        private readonly WeComConnection _connection;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, WeComImportPlan> _plans = new System.Collections.Concurrent.ConcurrentDictionary<string, WeComImportPlan>(StringComparer.Ordinal);

        internal JobOperations(WeComConnection connection) => _connection = connection;

        /// <summary>The longest wait between two polls of a running job; the first poll comes after a tenth of it.</summary>
        public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>
        /// Compares <paramref name="users"/> with the members WeCom has now: each is created or updated, and with
        /// <paramref name="replace"/> every member not among them is deleted. A member that is invalid, named twice,
        /// in a department that does not exist, or that needs a field the template lacks, is listed in Invalid.
        /// </summary>
        public async Task<WeComImportPlan> PlanUsersAsync(IEnumerable<WeComUserChange> users, bool replace, IProgress<WeComProgress>? progress, CancellationToken cancellationToken)
        {
            var current = await ReadMembersAsync(progress, cancellationToken).ConfigureAwait(false);
            var departments = new HashSet<int>((await _connection.Departments.GetIdTreeAsync(cancellationToken).ConfigureAwait(false)).Select(d => d.Id));
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var valid = new List<WeComUserChange>();
            var changes = new List<WeComPlannedChange>();
            var invalid = new List<ItemResult<object>>();
            foreach (var user in users)
            {
                var exists = current.TryGetValue(user.UserId, out var now);
                var missing = user.Department?.Where(d => !departments.Contains(d)).Select(d => (int?)d).FirstOrDefault();
                var error = !seen.Add(user.UserId) ? WeComException.InvalidInput("DuplicateImportRow", $"User '{user.UserId}' is in the input more than once.")
                    : WeComImportTemplate.CheckUser(user) ?? user.Validate(creating: !exists)
                    ?? (missing is { } m ? WeComException.InvalidInput("DepartmentNotFound", $"User '{user.UserId}': department {m} does not exist; sync the departments first (Sync-WeComDepartment).") : null);
                if (error != null)
                {
                    invalid.Add(ItemResult<object>.Failed(error, user.UserId));
                    continue;
                }

                valid.Add(user);
                changes.Add(new WeComPlannedChange { Action = exists ? WeComJobAction.Update : WeComJobAction.Create, UserId = user.UserId, Name = user.Name ?? now?.Name });
            }

            WeComException? protection = null;
            if (replace)
            {
                var deletes = current.Values.Where(u => !seen.Contains(u.UserId)).Select(u => new WeComPlannedChange { Action = WeComJobAction.Delete, UserId = u.UserId, Name = u.Name }).ToList();
                changes.AddRange(deletes);
                if (deletes.Count > 50 ? deletes.Count * 5 > current.Count : deletes.Count * 5 > current.Count * 4)
                {
                    var entry = WeComErrorCatalog.Describe(45026);
                    protection = WeComException.Rejected(entry.ErrorId, $"WeCom would refuse this replace (errcode 45026): it deletes {deletes.Count} of {current.Count} members.", "batch/replaceuser", entry.Advice!);
                }
            }

            return new WeComImportPlan(replace ? WeComJobType.ReplaceUser : WeComJobType.SyncUser, WeComImportTemplate.WriteUsers(valid), valid.Count, current.Count, changes, invalid, protection);
        }

        /// <summary>
        /// Compares <paramref name="departments"/> with the tree WeCom has now: each is created, renamed, moved or
        /// reordered, and every department not among them (the root aside) is deleted once it has no members or sub-departments.
        /// </summary>
        public async Task<WeComImportPlan> PlanDepartmentsAsync(IEnumerable<WeComDepartmentChange> departments, CancellationToken cancellationToken)
        {
            var tree = (await _connection.Departments.GetTreeAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.Id);
            var input = departments.ToList();
            var ids = new HashSet<int>(input.Where(d => d.Id != null).Select(d => d.Id!.Value));
            var seen = new HashSet<int>();
            var valid = new List<WeComDepartmentChange>();
            var changes = new List<WeComPlannedChange>();
            var invalid = new List<ItemResult<object>>();
            foreach (var d in input)
            {
                var error = WeComImportTemplate.CheckDepartment(d)
                    ?? (!seen.Add(d.Id!.Value) ? WeComException.InvalidInput("DuplicateImportRow", $"Department {d.Id} is in the input more than once.") : null)
                    ?? (d.ParentId is { } p && p != 0 && !ids.Contains(p) && !tree.ContainsKey(p)
                        ? WeComException.InvalidInput("ParentDepartmentNotFound", $"Department '{d}': its parent {p} neither exists nor is in the input.")
                        : null);
                if (error != null)
                {
                    invalid.Add(ItemResult<object>.Failed(error, (object?)d.Id ?? d.Name ?? ""));
                    continue;
                }

                valid.Add(d);
                changes.Add(Compare(d, tree.TryGetValue(d.Id!.Value, out var now) ? now : null));
            }

            changes.AddRange(tree.Values.Where(d => d.Id != 1 && !seen.Contains(d.Id)).Reverse().Select(d => new WeComPlannedChange
            {
                Action = WeComJobAction.Delete,
                DepartmentId = d.Id,
                Name = d.Name,
                Detail = "once it has no members or sub-departments",
            }));
            return new WeComImportPlan(WeComJobType.ReplaceParty, WeComImportTemplate.WriteDepartments(valid), valid.Count, tree.Count, changes, invalid, null);
        }

        /// <summary>
        /// Uploads the plan's file and starts its job. A replace whose input had invalid items is refused: leaving them
        /// out would delete those members or departments. <paramref name="toInvite"/> (members only) is WeCom's to_invite.
        /// </summary>
        public async Task<WeComJob> StartAsync(WeComImportPlan plan, bool? toInvite, CancellationToken cancellationToken)
        {
            if (plan.CheckStartable() is { } refused)
            {
                throw refused;
            }

            var (path, name) = plan.Type switch
            {
                WeComJobType.SyncUser => ("batch/syncuser", "syncuser.csv"),
                WeComJobType.ReplaceUser => ("batch/replaceuser", "replaceuser.csv"),
                _ => ("batch/replaceparty", "replaceparty.csv"),
            };
            var upload = await _connection.Client.UploadAsync("media/upload", "type=file", name, Encoding.UTF8.GetBytes(plan.Csv), cancellationToken).ConfigureAwait(false);
            var body = new Dictionary<string, object> { ["media_id"] = upload.Str("media_id") ?? "" };
            if (plan.Type != WeComJobType.ReplaceParty && toInvite is { } invite)
            {
                body["to_invite"] = invite;
            }

            var started = await _connection.Client.PostAsync(path, body, cancellationToken).ConfigureAwait(false);
            var jobId = started.Str("jobid") ?? throw WeComException.FromTransport(path, "the answer has no jobid", transient: false, WeComErrorKind.InvalidResponse);
            WeComLog.Verbose($"Started {path} job {jobId} with {plan.Rows} rows.");
            if (_plans.Count >= PlansKept)
            {
                _plans.Clear();
            }

            _plans[jobId] = plan;
            return new WeComJob { JobId = jobId, Type = plan.Type, Status = WeComJobStatus.Started, Total = plan.Rows, Plan = plan };
        }

        /// <summary>The job as WeCom reports it now (batch/getresult), with one result per row once it has finished.</summary>
        public async Task<WeComJob> GetAsync(string jobId, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(jobId) || Encoding.UTF8.GetByteCount(jobId) > 64)
            {
                throw WeComException.InvalidInput("InvalidJobId", $"'{jobId}' is not a job id: 1 to 64 bytes.");
            }

            var root = await _connection.Client.GetAsync(ResultPath, "jobid=" + Uri.EscapeDataString(jobId), cancellationToken).ConfigureAwait(false);
            var type = root.Str("type") switch
            {
                "replace_user" => WeComJobType.ReplaceUser,
                "replace_party" => WeComJobType.ReplaceParty,
                _ => WeComJobType.SyncUser,
            };
            var job = new WeComJob
            {
                JobId = jobId,
                Type = type,
                Status = (WeComJobStatus)(root.Int("status") ?? 0),
                Percentage = root.Int("percentage") ?? 0,
                Total = root.Int("total") ?? 0,
                Results = root.Items("result").Select(r => new WeComJobResult
                {
                    JobId = jobId,
                    Type = type,
                    UserId = type == WeComJobType.ReplaceParty ? null : r.Str("userid"),
                    DepartmentId = type == WeComJobType.ReplaceParty ? r.Int("partyid") : null,
                    Action = (WeComJobAction)((r.Int("action") ?? 0) & 15),
                    Status = (r.Int("errcode") ?? 0) == 0 ? WeComJobResultStatus.Succeeded : WeComJobResultStatus.Failed,
                    ErrCode = r.Int("errcode") ?? 0,
                    Message = r.Str("errmsg"),
                }).ToList(),
            };
            if (_plans.TryGetValue(jobId, out var plan))
            {
                job.Plan = plan;
                Name(job.Results, plan);
            }

            return job;
        }

        /// <summary>Names each row from the plan the job was started from, and says whether a member was created or updated.</summary>
        private static void Name(IEnumerable<WeComJobResult> results, WeComImportPlan plan)
        {
            foreach (var row in results)
            {
                if (plan.Find(row) is { } planned)
                {
                    row.Name = planned.Name;
                    row.Action = row.DepartmentId is null ? planned.Action : row.Action;
                }
            }
        }

        /// <summary>Polls the job until it has finished, reporting its percentage; then returns it with its results.</summary>
        public Task<WeComJob> WaitAsync(string jobId, IProgress<WeComProgress>? progress, CancellationToken cancellationToken) =>
            Polling.UntilDoneAsync(
                async (_, ct) =>
                {
                    var job = await GetAsync(jobId, ct).ConfigureAwait(false);
                    var done = job.Status == WeComJobStatus.Finished;
                    progress?.Report(new WeComProgress($"Job {jobId} ({job.Type}, {job.Total} rows)", done ? 100 : Math.Min(job.Percentage, 99), 100));
                    return (done, job);
                },
                MaxPollInterval,
                cancellationToken);

        /// <summary>
        /// Waits for the job and returns one result per row. With the <paramref name="plan"/> the job was started from,
        /// member rows say whether they were created or updated, and the deletions of a replace follow, each checked
        /// against the directory afterwards (a department WeCom keeps until it is empty comes as Deferred).
        /// </summary>
        public async Task<IReadOnlyList<WeComJobResult>> WaitForResultsAsync(string jobId, WeComImportPlan? plan, IProgress<WeComProgress>? progress, CancellationToken cancellationToken)
        {
            var job = await WaitAsync(jobId, progress, cancellationToken).ConfigureAwait(false);
            var results = job.Results.ToList();
            plan ??= job.Plan;
            if (plan is null)
            {
                return results;
            }

            Name(results, plan);

            var deletes = plan.Changes.Where(c => c.Action == WeComJobAction.Delete).ToList();
            if (deletes.Count == 0)
            {
                return results;
            }

            if (plan.Type == WeComJobType.ReplaceParty)
            {
                var tree = await _connection.Departments.GetIdTreeAsync(cancellationToken).ConfigureAwait(false);
                var left = tree.ToDictionary(d => d.Id);
                results.AddRange(deletes.Select(d => Deleted(job, d, !left.ContainsKey(d.DepartmentId!.Value), tree.Any(c => c.ParentId == d.DepartmentId) ? 60006 : 60005)));
            }
            else
            {
                var left = await ReadMembersAsync(null, cancellationToken).ConfigureAwait(false);
                results.AddRange(deletes.Select(d => Deleted(job, d, !left.ContainsKey(d.UserId!), null)));
            }

            return results;
        }

        private static WeComJobResult Deleted(WeComJob job, WeComPlannedChange change, bool gone, int? keptCode) => new WeComJobResult
        {
            JobId = job.JobId,
            Type = job.Type,
            UserId = change.UserId,
            DepartmentId = change.DepartmentId,
            Name = change.Name,
            Action = WeComJobAction.Delete,
            Status = gone ? WeComJobResultStatus.Succeeded : keptCode is null ? WeComJobResultStatus.Failed : WeComJobResultStatus.Deferred,
            ErrCode = gone ? 0 : keptCode,
            Message = gone ? "deleted: not in the input"
                : keptCode == 60006 ? "kept until it has no sub-departments: WeCom deletes it once it is empty"
                : keptCode == 60005 ? "kept until it has no members: WeCom deletes it once a member import moves them out"
                : "still in the directory after the replace",
        };

        /// <summary>Every member by userid (user id, name and departments), from one read of the whole tree.</summary>
        private async Task<Dictionary<string, WeComUser>> ReadMembersAsync(IProgress<WeComProgress>? progress, CancellationToken cancellationToken)
        {
            var members = new Dictionary<string, WeComUser>(StringComparer.OrdinalIgnoreCase);
            await foreach (var result in _connection.Users.GetAllAsync(simple: true, progress, null, cancellationToken).ConfigureAwait(false))
            {
                if (result.Error != null)
                {
                    throw result.Error.About("Reading the directory to compare it with the input");
                }

                members[result.Value!.UserId] = result.Value;
            }

            return members;
        }

        /// <summary>Compares a department of the input with the one WeCom has: create, or which of rename, move, reorder.</summary>
        private static WeComPlannedChange Compare(WeComDepartmentChange d, WeComDepartment? now)
        {
            var change = new WeComPlannedChange { DepartmentId = d.Id, Name = d.Name };
            if (now is null)
            {
                change.Action = WeComJobAction.Create;
                change.Detail = $"under {d.ParentId?.ToString(CultureInfo.InvariantCulture)}";
                return change;
            }

            var details = new List<string>();
            if (now.Name != d.Name)
            {
                change.Action |= WeComJobAction.Rename;
                details.Add($"rename from {now.Name}");
            }

            if (now.ParentId != d.ParentId)
            {
                change.Action |= WeComJobAction.Move;
                details.Add($"move from {now.ParentId.ToString(CultureInfo.InvariantCulture)} to {d.ParentId?.ToString(CultureInfo.InvariantCulture)}");
            }

            if (d.Order is { } order && order != 0 && order != now.Order)
            {
                change.Action |= WeComJobAction.Reorder;
                details.Add($"order {now.Order.ToString(CultureInfo.InvariantCulture)} to {order.ToString(CultureInfo.InvariantCulture)}");
            }

            change.Detail = details.Count == 0 ? null : string.Join("; ", details);
            return change;
        }
    }
}
