using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>
    /// WeCom's async imports (D/90979): the input is compared with the directory (<see cref="PlanUsersAsync"/>,
    /// <see cref="PlanDepartmentsAsync"/>), written as CSV in WeCom's template, uploaded (media/upload), started
    /// (batch/syncuser, batch/replaceuser, batch/replaceparty) and polled (batch/getresult). Needs the contacts-sync secret.
    /// </summary>
    internal sealed class JobOperations
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
                var error = !seen.Add(user.UserId) ? WeComException.InvalidInput("DuplicateImportRow", Msg.Get("UserRepeated", user.UserId))
                    : WeComImportTemplate.CheckUser(user) ?? user.Validate(creating: !exists)
                    ?? (missing is { } m ? WeComException.InvalidInput("DepartmentNotFound", Msg.Get("ImportDepartmentMissing", user.UserId, m)) : null);
                if (error != null)
                {
                    invalid.Add(ItemResult<object>.Failed(error, user.UserId));
                    continue;
                }

                valid.Add(user);
            }

            valid = await WithoutBlankCellsAsync(valid, current, invalid, cancellationToken).ConfigureAwait(false);
            foreach (var user in valid)
            {
                var exists = current.TryGetValue(user.UserId, out var now);
                changes.Add(new WeComPlannedChange { Action = exists ? WeComJobAction.Update : WeComJobAction.Create, UserId = user.UserId, Name = user.Name ?? now?.Name });
            }

            WeComException? protection = null;
            if (replace)
            {
                var gone = current.Values.Where(u => !seen.Contains(u.UserId)).ToList();
                var names = await NamesAsync(gone.Select(u => u.UserId), cancellationToken).ConfigureAwait(false);
                var deletes = gone.Select(u => new WeComPlannedChange { Action = WeComJobAction.Delete, UserId = u.UserId, Name = names.TryGetValue(u.UserId, out var name) ? name : null }).ToList();
                changes.AddRange(deletes);
                if (deletes.Count > 50 ? deletes.Count * 5 > current.Count : deletes.Count * 5 > current.Count * 4)
                {
                    var entry = WeComErrorCatalog.Describe(45026);
                    protection = WeComException.Rejected(entry.ErrorId, Msg.Get("ReplaceWouldBeRefused", deletes.Count, current.Count), "batch/replaceuser", entry.Advice!);
                }
            }

            return new WeComImportPlan(replace ? WeComJobType.ReplaceUser : WeComJobType.SyncUser, WeComImportTemplate.WriteUsers(valid), valid.Count, current.Count, changes, invalid, protection);
        }

        /// <summary>
        /// Compares <paramref name="departments"/> with the tree WeCom has now: each is created, renamed, moved or
        /// reordered, and every department not among them (the root aside) is deleted once it has no members or sub-departments.
        /// Renames are told only where the connection may read names; ids, parents and order come from department/simplelist otherwise.
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
                    ?? (!seen.Add(d.Id!.Value) ? WeComException.InvalidInput("DuplicateImportRow", Msg.Get("DepartmentRepeated", d.Id)) : null)
                    ?? (d.ParentId is { } p && p != 0 && !ids.Contains(p) && !tree.ContainsKey(p)
                        ? WeComException.InvalidInput("ParentDepartmentNotFound", Msg.Get("ImportParentMissing", d, p))
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

            // Stopped before the job is sent: nothing started. Once it is sent, it settles.
            cancellationToken.ThrowIfCancellationRequested();
            JsonElement started;
            using var settle = new Concurrent.Settling(cancellationToken, _connection.Client.Retry.StopGrace);
            try
            {
                started = await _connection.Client.PostAsync(path, body, settle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (settle.Token.IsCancellationRequested)
            {
                throw LookAt(plan, WeComException.WriteOutcomeUnknown(
                    path, Msg.Get("JobStartStopped", _connection.Client.Retry.StopGrace.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)), Msg.Get("JobMayBeRunning")));
            }
            catch (WeComException ex) when (ex.ErrorId == "WriteOutcomeUnknown")
            {
                throw LookAt(plan, ex);
            }

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
                throw WeComException.InvalidInput("InvalidJobId", Msg.Get("InvalidJobId", jobId));
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
                Results = new WeComJobResults(root.Items("result").Select(r => new WeComJobResult
                {
                    JobId = jobId,
                    Type = type,
                    UserId = type == WeComJobType.ReplaceParty ? null : r.Str("userid"),
                    DepartmentId = type == WeComJobType.ReplaceParty ? r.Int("partyid") : null,
                    Action = (WeComJobAction)((r.Int("action") ?? 0) & 15),
                    Status = (r.Int("errcode") ?? 0) == 0 ? WeComJobResultStatus.Succeeded : WeComJobResultStatus.Failed,
                    ErrCode = r.Int("errcode") ?? 0,
                    Message = r.Str("errmsg"),
                })),
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

        /// <summary>
        /// Polls the job until it has finished, reporting its percentage; then returns it with its results. After
        /// <paramref name="maxWait"/> (none when null) it gives up with JobWaitTimedOut, naming the job to resume.
        /// </summary>
        public Task<WeComJob> WaitAsync(string jobId, IProgress<WeComProgress>? progress, CancellationToken cancellationToken, TimeSpan? maxWait = null) =>
            Polling.UntilDoneAsync(
                async (_, ct) =>
                {
                    var job = await GetAsync(jobId, ct).ConfigureAwait(false);
                    var done = job.Status == WeComJobStatus.Finished;
                    progress?.Report(new WeComProgress(Msg.Get("JobProgress", jobId, job.Type, job.Total), done ? 100 : Math.Min(job.Percentage, 99), 100));
                    return (done, job);
                },
                MaxPollInterval,
                cancellationToken,
                maxWait,
                waited => WeComException.JobWaitTimedOut(jobId, waited));

        /// <summary>
        /// Waits for the job and returns one result per row. With the <paramref name="plan"/> the job was started from,
        /// member rows say whether they were created or updated, and the deletions of a replace follow, each checked
        /// against the directory afterwards (a department WeCom keeps until it is empty comes as Deferred).
        /// </summary>
        public async Task<IReadOnlyList<WeComJobResult>> WaitForResultsAsync(string jobId, WeComImportPlan? plan, IProgress<WeComProgress>? progress, CancellationToken cancellationToken, TimeSpan? maxWait = null)
        {
            var job = await WaitAsync(jobId, progress, cancellationToken, maxWait).ConfigureAwait(false);
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
                var parents = new HashSet<int>(tree.Select(d => d.ParentId));
                results.AddRange(deletes.Select(d => Deleted(job, d, !left.ContainsKey(d.DepartmentId!.Value), parents.Contains(d.DepartmentId!.Value) ? 60006 : 60005)));
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

        /// <summary>
        /// Every member by userid, with their departments, from user/list_id: what every contacts-sync secret may read,
        /// from any IP, so a plan never needs names or details.
        /// </summary>
        private async Task<Dictionary<string, WeComUser>> ReadMembersAsync(IProgress<WeComProgress>? progress, CancellationToken cancellationToken)
        {
            progress?.Report(new WeComProgress(Msg.Get("ReadingAllUserIds"), 0, 1));
            var members = new Dictionary<string, WeComUser>(StringComparer.OrdinalIgnoreCase);
            foreach (var user in await _connection.Users.ListIdsAsync(cancellationToken).ConfigureAwait(false))
            {
                members[user.UserId] = user;
            }

            progress?.Report(new WeComProgress(Msg.Get("ReadingAllUserIds"), 1, 1));
            return members;
        }

        /// <summary>
        /// The rows with no blank cell for an existing member. WeCom's docs say a column left out of the file leaves the
        /// field alone, but not what a blank cell in a column the file has does; WeComPS assumes it may clear the field.
        /// So where the input gives a column for some members only, each existing member without it gets the value it
        /// has now (read with user/get); a member whose value cannot be read (withheld from an app, or 48009 without an
        /// app secret) is refused, with the reason. New members may leave cells blank.
        /// </summary>
        private async Task<List<WeComUserChange>> WithoutBlankCellsAsync(List<WeComUserChange> rows, Dictionary<string, WeComUser> current, List<ItemResult<object>> invalid, CancellationToken cancellationToken)
        {
            var blankCells = WeComImportTemplate.BlankCellsOf(rows);
            var blanks = rows.Where(u => current.ContainsKey(u.UserId)).Select(u => (User: u, Columns: blankCells(u))).Where(b => b.Columns.Count > 0).ToList();
            if (blanks.Count == 0)
            {
                return rows;
            }

            var now = new Dictionary<string, WeComUser>(StringComparer.OrdinalIgnoreCase);
            string? unreadable = null;
            try
            {
                await foreach (var result in _connection.Users.GetAsync(blanks.Select(b => b.User.UserId), null, cancellationToken).ConfigureAwait(false))
                {
                    if (result.Value is { } user)
                    {
                        now[user.UserId] = user;
                    }
                }
            }
            catch (WeComException error)
            {
                unreadable = error.ErrCode is { } code ? $"{error.ErrorId}, WeCom error {code.ToString(CultureInfo.InvariantCulture)}" : error.ErrorId;
            }

            var filled = new Dictionary<WeComUserChange, WeComUserChange?>();
            foreach (var (user, columns) in blanks)
            {
                string? missing = null;
                var copy = now.TryGetValue(user.UserId, out var record) ? WeComImportTemplate.Fill(user, record, columns, out missing) : null;
                if (copy is null)
                {
                    var why = unreadable ?? (record is null ? Msg.Get("MemberUnreadable") : Msg.Get("SecretNotGiven", missing));
                    invalid.Add(ItemResult<object>.Failed(
                        WeComException.InvalidInput("BlankImportCell", Msg.Get("BlankImportCell", user.UserId, string.Join(", ", columns), why)),
                        user.UserId));
                }

                filled[user] = copy;
            }

            return rows.Select(u => filled.TryGetValue(u, out var copy) ? copy : u).OfType<WeComUserChange>().ToList();
        }

        /// <summary>
        /// The names of <paramref name="userIds"/> where the connection may read them (user/get), to show whom a replace
        /// deletes. Names only make the plan easier to read: where they cannot be read (48009 without an app secret, an
        /// app secret refused), the plan goes on without them.
        /// </summary>
        private async Task<Dictionary<string, string?>> NamesAsync(IEnumerable<string> userIds, CancellationToken cancellationToken)
        {
            var names = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            try
            {
                await foreach (var result in _connection.Users.GetAsync(userIds, null, cancellationToken).ConfigureAwait(false))
                {
                    if (result.Value is { } user)
                    {
                        names[user.UserId] = user.Name;
                    }
                }
            }
            catch (WeComException error)
            {
                WeComLog.Verbose($"The names of the members a replace deletes cannot be read ({error.ErrorId}); the plan names them by userid.");
            }

            return names;
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
            // Without names (48009 and no app secret) a rename cannot be told; the import sets the name all the same.
            if (now.Name != null && now.Name != d.Name)
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

        /// <summary>A job may be running whose id is unknown: <paramref name="unknown"/> names what to look at before anything is sent again.</summary>
        private static WeComException LookAt(WeComImportPlan plan, WeComException unknown)
        {
            var look = plan.Changes.Where(c => c.Action != WeComJobAction.None).Select(c => c.UserId ?? c.DepartmentId?.ToString(CultureInfo.InvariantCulture)).Take(10).ToList();
            var more = plan.Changes.Count(c => c.Action != WeComJobAction.None) - look.Count;
            return unknown.Copy(unknown.Message + " " + Msg.Get("LookAt", string.Join(", ", look) + (more > 0 ? Msg.Get("AndMore", more) : "")));
        }
    }
}
