using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>How a plan is applied.</summary>
    internal sealed class WeComApplyOptions
    {
        public WeComApplyStrategy Strategy { get; set; }
        /// <summary>A JSON-lines file every applied change is appended to; none when null.</summary>
        public string? JournalPath { get; set; }
        /// <summary>The most deletions the plan may make; <see cref="WeComPS.DeleteLimit.Default"/> when null.</summary>
        public DeleteLimit? DeleteLimit { get; set; }
        /// <summary>Called with the job and its rows once WeCom accepted the import job, so that it can be picked up if the wait is stopped.</summary>
        public Action<WeComJob, int>? JobStarted { get; set; }
    }

    /// <summary>
    /// Applies exactly a reviewed plan. Each item is first checked against the directory as it is now: an item whose
    /// member no longer has the plan's old values (changed since the review) is refused as stale, and nothing is sent
    /// for it. Departments are created first, parents first; then members change one call each (Immediate: per-item
    /// errors, and a lost answer is confirmed rather than sent twice) or in one import job (Import).
    /// </summary>
    internal sealed partial class DesiredStateApplier
    {
        /// <summary>Plans with more member creates and updates than this go through an import job when the strategy is Auto.</summary>
        public const int ImmediateLimit = 1000;

        /// <summary>Up to this many members are re-read one by one (user/get); more, by reading the whole directory.</summary>
        private const int ReadEachLimit = 200;

        private readonly WeComConnection _connection;

        public DesiredStateApplier(WeComConnection connection) => _connection = connection;

        /// <summary>The strategy <paramref name="strategy"/> means for <paramref name="items"/>: Auto chooses by the number of member creates and updates.</summary>
        public static WeComApplyStrategy Choose(IEnumerable<WeComPlanItem> items, WeComApplyStrategy strategy) =>
            strategy != WeComApplyStrategy.Auto ? strategy
            : items.Count(i => i.ObjectType == WeComPlanObjectType.User && (i.Action == WeComPlanAction.Create || i.Action == WeComPlanAction.Update)) > ImmediateLimit
                ? WeComApplyStrategy.Import : WeComApplyStrategy.Immediate;

        /// <summary>
        /// Applies <paramref name="items"/>; <paramref name="report"/> gets each item's result and, when it did not
        /// succeed, the error naming it (also journaled). A plan over its deletion limit is refused before anything is sent.
        /// </summary>
        public async Task ApplyAsync(
            IReadOnlyList<WeComPlanItem> items, WeComApplyOptions options, Action<WeComPlanResult, WeComException?> report, IProgress<WeComProgress>? progress, CancellationToken cancellationToken)
        {
            var strategy = Choose(items, options.Strategy);
            void Report(WeComPlanItem item, WeComPlanResultStatus status, WeComApplyStrategy how, WeComException? error, string? jobId = null, string? note = null)
            {
                var message = error?.Message ?? note ?? (item.Kept.Count == 0 ? Msg.Get("ResultDone")
                    : Msg.Get(status == WeComPlanResultStatus.Kept ? "ResultKeptOnly" : "ResultDoneKept", string.Join(", ", item.Kept.Select(k => k.Field))));
                var result = new WeComPlanResult
                {
                    Action = item.Action,
                    ObjectType = item.ObjectType,
                    Target = item.Target,
                    Name = item.Name,
                    Changes = item.Changes,
                    Kept = item.Kept,
                    Status = status,
                    Strategy = how,
                    JobId = jobId,
                    ErrCode = error?.ErrCode,
                    Message = message,
                };
                if (options.JournalPath != null)
                {
                    WeComJournal.Append(options.JournalPath, new[] { WeComJournal.Entry(_connection, result) });
                }

                report(result, error);
            }

            var users = items.Where(i => i.ObjectType == WeComPlanObjectType.User && i.Action != WeComPlanAction.Unchanged).ToList();
            var deletes = users.Count(i => i.Action == WeComPlanAction.Delete);
            if (deletes > 0)
            {
                var limit = options.DeleteLimit ?? DeleteLimit.Default;
                if (limit.Check(deletes, await CountMembersAsync(cancellationToken).ConfigureAwait(false), "member") is { } refused)
                {
                    throw refused;
                }
            }

            var tree = (await DirectoryReads.TreeAsync(_connection, cancellationToken).ConfigureAwait(false)).ToList();
            // The plan's old values are about the tree as it is before any of its departments change.
            var before = tree.Select(DesiredStatePlanner.Copy).ToList();
            var departments = items.Where(i => i.ObjectType == WeComPlanObjectType.Department && i.Action != WeComPlanAction.Unchanged).ToList();
            var departmentDeletes = departments.Where(i => i.Action == WeComPlanAction.Delete).ToList();
            if (departmentDeletes.Count > 0 && (options.DeleteLimit ?? DeleteLimit.Default).Check(departmentDeletes.Count, tree.Count, "department") is { } tooMany)
            {
                throw tooMany;
            }

            foreach (var item in departments.Where(i => i.Action != WeComPlanAction.Delete))
            {
                var (status, error) = item.Action == WeComPlanAction.Create
                    ? await CreateDepartmentAsync(item, tree, cancellationToken).ConfigureAwait(false)
                    : await UpdateDepartmentAsync(item, before, tree, cancellationToken).ConfigureAwait(false);
                Report(item, status, WeComApplyStrategy.Immediate, error);
            }

            var paths = new DepartmentPaths(tree, createMissing: false);
            var now = await ReadAsync(users.Select(u => u.Target), cancellationToken).ConfigureAwait(false);
            var immediate = new List<(WeComPlanItem Item, WeComUserChange Change)>();
            var imported = new List<(WeComPlanItem Item, WeComUserChange Change)>();
            var deleted = new List<WeComPlanItem>();
            foreach (var planned in users)
            {
                var item = planned;
                now.TryGetValue(item.Target, out var user);
                if (user?.Error is { } readFailure)
                {
                    Report(item, WeComPlanResultStatus.Failed, strategy, readFailure);
                    continue;
                }

                if (Stale(item, user?.Value, paths.Label) is { } reason)
                {
                    Report(item, WeComPlanResultStatus.Stale, strategy, WeComException.InvalidInput(
                        "StalePlanItem", Msg.Get("StalePlanItem", item, reason)));
                    continue;
                }

                if (item.Action == WeComPlanAction.Delete)
                {
                    deleted.Add(item);
                    continue;
                }

                if (item.Action == WeComPlanAction.Update && user?.Value is { } member && item.Changes.Any(c => MemberFields.KeptByMember(c.Field, member)))
                {
                    // Sent, WeCom would answer "updated" and keep the member's value: neither sent nor reported as applied.
                    item = WithKept(item, item.Changes.Where(c => MemberFields.KeptByMember(c.Field, member)));
                }

                if (item.Action == WeComPlanAction.Update && item.Changes.Count == 0 && item.Kept.Count > 0)
                {
                    Report(item, WeComPlanResultStatus.Kept, strategy, null);
                    continue;
                }

                try
                {
                    var change = MemberFields.ToChange(user?.Value?.UserId ?? item.Target, item.Changes, paths.Resolve, user?.Value);
                    if ((change.Validate(creating: item.Action == WeComPlanAction.Create) ?? (item.Action == WeComPlanAction.Update ? change.CheckChangesSomething() : null)) is { } invalid)
                    {
                        throw invalid;
                    }

                    var importable = strategy == WeComApplyStrategy.Import && change.Clear is null && WeComImportTemplate.CheckUser(change) is null;
                    (importable ? imported : immediate).Add((item, change));
                }
                catch (WeComException ex) when (!ex.AffectsAllItems)
                {
                    Report(item, WeComPlanResultStatus.Failed, strategy, ex.NamesItem ? ex : ex.About(Msg.Get("UserLabel", item.Target)));
                }
            }

            // Updates that sent a field WeCom may keep without saying so (an email in a corp bound to Tencent Exmail) are
            // reported once the member is read back.
            var unconfirmed = new List<(WeComPlanItem Item, WeComApplyStrategy How, string? JobId)>();
            void Finish(WeComPlanItem item, WeComPlanResultStatus status, WeComApplyStrategy how, WeComException? error, string? jobId = null)
            {
                if (status == WeComPlanResultStatus.Succeeded && item.Action == WeComPlanAction.Update && item.Changes.Any(c => MemberFields.MayBeKept(c.Field)))
                {
                    unconfirmed.Add((item, how, jobId));
                }
                else
                {
                    Report(item, status, how, error, jobId);
                }
            }

            async Task RunAsync<T>(IReadOnlyList<WeComPlanItem> group, IAsyncEnumerable<ItemResult<T>> results, Func<T, string> userId)
            {
                var byId = group.ToDictionary(i => i.Target, StringComparer.OrdinalIgnoreCase);
                await foreach (var result in results.ConfigureAwait(false))
                {
                    var id = result.Error is null ? userId(result.Value!) : result.Target?.ToString() ?? "";
                    if (byId.TryGetValue(id, out var item))
                    {
                        Finish(item, result.Error is null ? WeComPlanResultStatus.Succeeded : WeComPlanResultStatus.Failed, WeComApplyStrategy.Immediate, result.Error);
                    }
                }
            }

            var creates = immediate.Where(c => c.Item.Action == WeComPlanAction.Create).ToList();
            var updates = immediate.Where(c => c.Item.Action == WeComPlanAction.Update).ToList();
            Dictionary<string, ItemResult<WeComUser>>? after = null;
            try
            {
                if (creates.Count > 0)
                {
                    await RunAsync(creates.Select(c => c.Item).ToList(), _connection.Users.CreateAsync(creates.Select(c => c.Change), progress, null, cancellationToken), u => u.UserId).ConfigureAwait(false);
                }

                if (updates.Count > 0)
                {
                    await RunAsync(updates.Select(c => c.Item).ToList(), _connection.Users.UpdateAsync(updates.Select(c => c.Change), progress, null, cancellationToken), id => id).ConfigureAwait(false);
                }

                if (imported.Count > 0)
                {
                    await ImportAsync(imported, (item, status, error, jobId) => Finish(item, status, WeComApplyStrategy.Import, error, jobId), options.JobStarted, progress, cancellationToken).ConfigureAwait(false);
                }

                if (unconfirmed.Count > 0)
                {
                    after = await ReadAsync(unconfirmed.Select(u => u.Item.Target), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                // Also when a later stage threw (a stop, a failure that ends the command): what was applied is reported.
                foreach (var (item, how, jobId) in unconfirmed)
                {
                    var read = after != null && after.TryGetValue(item.Target, out var r) ? r : null;
                    if (read?.Value is not { } member)
                    {
                        var fields = string.Join(", ", item.Changes.Where(c => MemberFields.MayBeKept(c.Field)).Select(c => c.Field));
                        Report(item, WeComPlanResultStatus.Succeeded, how, null, jobId, Msg.Get("KeptUnconfirmed", item.Target, fields, read?.Error?.Message ?? Msg.Get("KeptNotReadBack")));
                        continue;
                    }

                    var kept = item.Changes.Where(c => MemberFields.MayBeKept(c.Field) && MemberFields.Current(member, c.Field, paths.Label) is { } now && !MemberFields.Same(c.Field, now, c.New)).ToList();
                    var final = kept.Count == 0 ? item : WithKept(item, kept);
                    Report(final, final.Changes.Count == 0 ? WeComPlanResultStatus.Kept : WeComPlanResultStatus.Succeeded, how, null, jobId);
                }
            }

            if (deleted.Count > 0)
            {
                await RunAsync(deleted, _connection.Users.DeleteAsync(deleted.Select(d => d.Target), progress, cancellationToken), id => id).ConfigureAwait(false);
            }

            if (departmentDeletes.Count > 0)
            {
                await DeleteDepartmentsAsync(departmentDeletes, before, tree, (item, status, error) => Report(item, status, WeComApplyStrategy.Immediate, error), cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Creates and updates members in one batch/syncuser job and reports each row's result.</summary>
        private async Task ImportAsync(
            List<(WeComPlanItem Item, WeComUserChange Change)> changes, Action<WeComPlanItem, WeComPlanResultStatus, WeComException?, string?> report, Action<WeComJob, int>? started, IProgress<WeComProgress>? progress, CancellationToken cancellationToken)
        {
            var byId = changes.ToDictionary(c => c.Change.UserId, c => c.Item, StringComparer.OrdinalIgnoreCase);
            var plan = await _connection.Jobs.PlanUsersAsync(changes.Select(c => c.Change), replace: false, null, cancellationToken).ConfigureAwait(false);
            foreach (var invalid in plan.Invalid)
            {
                if (byId.TryGetValue(invalid.Target?.ToString() ?? "", out var item))
                {
                    report(item, WeComPlanResultStatus.Failed, invalid.Error, null);
                    byId.Remove(item.Target);
                }
            }

            if (plan.Rows == 0)
            {
                return;
            }

            var job = await _connection.Jobs.StartAsync(plan, null, cancellationToken).ConfigureAwait(false);
            WeComLog.Verbose($"Applying {plan.Rows} member(s) in import job {job.JobId}.");
            started?.Invoke(job, plan.Rows);
            var results = await _connection.Jobs.WaitForResultsAsync(job.JobId, plan, progress, cancellationToken).ConfigureAwait(false);
            foreach (var row in results)
            {
                if (row.UserId != null && byId.TryGetValue(row.UserId, out var item))
                {
                    byId.Remove(row.UserId);
                    report(item, row.Status == WeComJobResultStatus.Succeeded ? WeComPlanResultStatus.Succeeded : WeComPlanResultStatus.Failed, row.ToException(), job.JobId);
                }
            }

            foreach (var item in byId.Values.Distinct())
            {
                report(item, WeComPlanResultStatus.Failed, WeComException.Rejected(
                    "ImportRowMissing", Msg.Get("ImportRowMissing", item, job.JobId), "batch/getresult", Msg.Get("ImportRowMissingAdvice")), job.JobId);
            }
        }

        /// <summary>Creates a planned department under its parent unless its path exists already (stale); adds it to <paramref name="tree"/>.</summary>
        private async Task<(WeComPlanResultStatus, WeComException?)> CreateDepartmentAsync(WeComPlanItem item, List<WeComDepartment> tree, CancellationToken cancellationToken)
        {
            if (tree.Any(d => string.Equals(d.Path, "/" + item.Target.Trim('/'), StringComparison.OrdinalIgnoreCase)))
            {
                return (WeComPlanResultStatus.Stale, WeComException.InvalidInput("StalePlanItem", Msg.Get("StaleExistsNow", item)));
            }

            var name = item.Changes["Name"]?.New ?? item.Name ?? "";
            int parent;
            try
            {
                parent = NameResolver.FindDepartment(tree, item.Changes["Parent"]?.New ?? "");
            }
            catch (WeComException ex) when (!ex.AffectsAllItems)
            {
                return (WeComPlanResultStatus.Failed, ex.About(Msg.Get("DepartmentLabel", item.Target)));
            }

            await foreach (var result in _connection.Departments.CreateAsync(new[] { new WeComDepartmentChange { Name = name, ParentId = parent } }, null, cancellationToken).ConfigureAwait(false))
            {
                if (result.Error != null)
                {
                    return (WeComPlanResultStatus.Failed, result.Error);
                }

                var created = result.Value!;
                created.Path = tree.First(d => d.Id == parent).Path + "/" + name;
                tree.Add(created);
                if (item.Changes["Order"]?.New != null || item.Changes["NameEn"]?.New is { Length: > 0 })
                {
                    var details = new WeComPlanItem { Action = WeComPlanAction.Update, ObjectType = item.ObjectType, Target = created.Path, Changes = new WeComFieldChanges(item.Changes.Where(c => c.Field == "Order" || c.Field == "NameEn").Select(c => new WeComFieldChange { Field = c.Field, Old = c.Field == "Order" ? created.Order.ToString(System.Globalization.CultureInfo.InvariantCulture) : "", New = c.New })) };
                    try
                    {
                        return await UpdateDepartmentAsync(details, new WeComDepartment[0], tree, cancellationToken).ConfigureAwait(false);
                    }
                    catch (WeComException stopped) when (stopped.ErrorId == "CommandStopped")
                    {
                        // Created before the stop, and nothing is sent after it: the create is reported, its details as not set.
                        return (WeComPlanResultStatus.Failed, WeComException.Rejected(
                            "DepartmentDetailsNotSet", Msg.Get("DepartmentDetailsNotSet", created.Path, string.Join(", ", details.Changes.Select(c => c.Field))), "department/update", Msg.Get("DepartmentDetailsNotSetAdvice")));
                    }
                }

                // Before the next MoveNext, which throws once the run was stopped.
                return (WeComPlanResultStatus.Succeeded, null);
            }

            return (WeComPlanResultStatus.Succeeded, null);
        }

        /// <summary>The item with <paramref name="kept"/> moved from its changes to its kept fields.</summary>
        private static WeComPlanItem WithKept(WeComPlanItem item, IEnumerable<WeComFieldChange> kept)
        {
            var moved = kept.ToList();
            return new WeComPlanItem
            {
                Action = item.Action,
                ObjectType = item.ObjectType,
                Target = item.Target,
                Name = item.Name,
                Changes = new WeComFieldChanges(item.Changes.Where(c => !moved.Contains(c))),
                Kept = new WeComFieldChanges(item.Kept.Concat(moved)),
                Note = item.Note,
            };
        }

        /// <summary>Why <paramref name="item"/> no longer fits the member as WeCom has it now, or null.</summary>
        internal static string? Stale(WeComPlanItem item, WeComUser? now, Func<int, string> label)
        {
            if (now is null)
            {
                return item.Action == WeComPlanAction.Create ? null : "the member no longer exists";
            }

            if (item.Action == WeComPlanAction.Create)
            {
                return "the member exists now";
            }

            var changed = item.Changes
                .Where(c => MemberFields.Canonical(c.Field) is { } f && !MemberFields.Same(f, MemberFields.Current(now, f, label), c.Old))
                .Select(c => $"{c.Field} is now '{MemberFields.Current(now, MemberFields.Canonical(c.Field)!, label)}', not '{c.Old}'")
                .ToList();
            return changed.Count == 0 ? null : string.Join(", ", changed);
        }

        /// <summary>The members of <paramref name="userIds"/> as WeCom has them now, by userid; a member that does not exist is absent.</summary>
        private async Task<Dictionary<string, ItemResult<WeComUser>>> ReadAsync(IEnumerable<string> userIds, CancellationToken cancellationToken)
        {
            var ids = userIds.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var found = new Dictionary<string, ItemResult<WeComUser>>(StringComparer.OrdinalIgnoreCase);
            if (ids.Count == 0)
            {
                return found;
            }

            if (ids.Count <= ReadEachLimit)
            {
                try
                {
                    await foreach (var result in _connection.Users.GetAsync(ids.Where(id => UserOperations.CheckUserId(id) is null), null, cancellationToken).ConfigureAwait(false))
                    {
                        var missing = result.Error is { } e && (e.Kind == WeComErrorKind.NotFound || e.ErrCode == 60111 || e.ErrCode == 46004);
                        if (!missing)
                        {
                            found[result.Value?.UserId ?? result.Target?.ToString() ?? ""] = result;
                        }
                    }
                }
                catch (WeComException refused) when (refused.ErrCode == SecretRouting.DetailsForbidden)
                {
                    // No secret of the connection may read details: the members as user/list_id has them.
                    return (await DirectoryReads.ListIdsAsync(_connection, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Key, p => ItemResult<WeComUser>.Ok(p.Value), StringComparer.OrdinalIgnoreCase);
                }

                return found;
            }

            return (await DirectoryReads.MembersAsync(_connection, null, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Key, p => ItemResult<WeComUser>.Ok(p.Value), StringComparer.OrdinalIgnoreCase);
        }

        private async Task<int> CountMembersAsync(CancellationToken cancellationToken)
        {
            var count = 0;
            try
            {
                await foreach (var result in _connection.Users.GetAllAsync(simple: true, null, null, cancellationToken).ConfigureAwait(false))
                {
                    count += result.Error is null ? 1 : throw result.Error.About("Counting the members for the deletion limit");
                }
            }
            catch (WeComException ex) when (ex.ErrCode == 48009)
            {
                return (await DirectoryReads.ListIdsAsync(_connection, cancellationToken).ConfigureAwait(false)).Count;
            }

            return count;
        }
    }
}
