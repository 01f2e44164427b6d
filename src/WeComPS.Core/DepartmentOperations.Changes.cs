using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    // Changes to departments: create, update (rename, move, reorder), delete. One at a time, in order, because
    // each may depend on the one before (a parent created first, a child deleted first).
    internal sealed partial class DepartmentOperations
    {
        /// <summary>Creates departments (department/create) in the order given; each comes back with the id WeCom gave it.</summary>
        public IAsyncEnumerable<ItemResult<WeComDepartment>> CreateAsync(
            IEnumerable<WeComDepartmentChange> departments, IProgress<WeComProgress>? progress = null, CancellationToken cancellationToken = default) =>
            Each(
                departments,
                creating: true,
                "department/create",
                async (d, ct) =>
                {
                    var answer = await _connection.Client.PostAsync("department/create", d.ToBody(), ct).ConfigureAwait(false);
                    if (ExactlyOnce.Confirmed(answer) is { } held)
                    {
                        var found = Parse(held);
                        found.FoundInPlace = true;
                        return found;
                    }

                    return new WeComDepartment
                    {
                        Id = answer.Int("id") ?? d.Id ?? 0,
                        Name = d.Name,
                        NameEn = d.NameEn,
                        ParentId = d.ParentId ?? 0,
                        Order = d.Order ?? 0,
                    };
                },
                progress,
                cancellationToken);

        /// <summary>Changes departments (department/update): only the fields set in each change. Yields each id.</summary>
        public IAsyncEnumerable<ItemResult<int>> UpdateAsync(
            IEnumerable<WeComDepartmentChange> changes, IProgress<WeComProgress>? progress = null, CancellationToken cancellationToken = default) =>
            Each(
                changes,
                creating: false,
                "department/update",
                async (d, ct) =>
                {
                    await _connection.Client.PostAsync("department/update", d.ToBody(), ct).ConfigureAwait(false);
                    return d.Id!.Value;
                },
                progress,
                cancellationToken);

        /// <summary>
        /// Deletes departments (department/delete), deepest first, so a department and everything below it can be
        /// removed in one go. WeCom refuses a department that still has members (60005) or sub-departments left; an id
        /// that is not in the tree is reported without a request. More than <paramref name="limit"/> deletions end the
        /// command before anything is sent.
        /// </summary>
        public async IAsyncEnumerable<ItemResult<int>> DeleteAsync(
            IEnumerable<int> ids, IProgress<WeComProgress>? progress = null, [EnumeratorCancellation] CancellationToken cancellationToken = default, DeleteLimit? limit = null)
        {
            var depth = (await GetIdTreeAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.Id, d => d.Depth);
            var wanted = ids.Distinct().OrderByDescending(id => depth.TryGetValue(id, out var level) ? level : -1).ToList();
            if (limit?.Check(wanted.Count(depth.ContainsKey), depth.Count, "department") is { } tooMany)
            {
                throw tooMany;
            }

            var results = Batches.DeleteEachAsync(_connection.Client, wanted, depth.Keys, "department/delete", "id", "Department", Rules.DepartmentId, progress, cancellationToken);
            await foreach (var result in results.ConfigureAwait(false))
            {
                yield return result;
            }
        }

        /// <summary>
        /// Why WeCom would refuse to delete department <paramref name="id"/> now because it still has members (60005),
        /// or null; one light read of its direct members (user/simplelist).
        /// </summary>
        public async Task<WeComException?> CheckRemovableAsync(int id, string label, CancellationToken cancellationToken)
        {
            var members = 0;
            await foreach (var member in _connection.Users.GetByDepartmentAsync(new[] { id }, recurse: false, simple: true, null, 1, cancellationToken).ConfigureAwait(false))
            {
                members += member.Error is null ? 1 : 0;
            }

            return members == 0 ? null : WeComException.Rejected(
                "DepartmentHasMembers",
                Msg.Get(members == 1 ? "DepartmentHasOneMember" : "DepartmentHasMembersCount", label, members),
                "department/delete",
                Msg.Get("DepartmentHasMembersAdvice", id));
        }

        private IAsyncEnumerable<ItemResult<T>> Each<T>(
            IEnumerable<WeComDepartmentChange> changes,
            bool creating,
            string apiPath,
            Func<WeComDepartmentChange, CancellationToken, Task<T>> call,
            IProgress<WeComProgress>? progress,
            CancellationToken cancellationToken) =>
            Concurrent.EachAsync(
                changes,
                d => d.Validate(creating) ?? (creating ? null : d.CheckChangesSomething()),
                call,
                d => ((object?)d.Id ?? d.Name ?? "", $"Department '{d}'"),
                apiPath,
                1,
                _connection.Client.Retry.StopGrace,
                progress,
                creating ? "Creating departments" : "Updating departments",
                cancellationToken);
    }
}
