using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>
    /// The reads a plan needs, with what a contacts-sync secret on an IP added after 2022-08-15 can still read when
    /// WeCom refuses the details (48009): the id tree (department/simplelist) and each member's userid and
    /// departments (user/list_id). The fields those lack are then not compared.
    /// </summary>
    internal static class DirectoryReads
    {
        private const int DetailsRefused = 48009;

        /// <summary>The department tree with names and paths, else the id tree.</summary>
        public static async Task<IReadOnlyList<WeComDepartment>> TreeAsync(WeComConnection connection, CancellationToken cancellationToken)
        {
            try
            {
                return await connection.Departments.GetTreeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (WeComException ex) when (ex.ErrCode == DetailsRefused)
            {
                WeComLog.Verbose("Department names cannot be read with this secret (48009): departments are compared by id.");
                return await connection.Departments.GetIdTreeAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Every member's full record by userid, else every member's userid and departments.</summary>
        public static async Task<Dictionary<string, WeComUser>> MembersAsync(WeComConnection connection, IProgress<WeComProgress>? progress, CancellationToken cancellationToken)
        {
            var members = new Dictionary<string, WeComUser>(StringComparer.OrdinalIgnoreCase);
            try
            {
                await foreach (var result in connection.Users.GetAllAsync(simple: false, progress, null, cancellationToken).ConfigureAwait(false))
                {
                    members[result.Value?.UserId ?? ""] = result.Error is null ? result.Value! : throw result.Error.About("Reading the directory");
                }

                return members;
            }
            catch (WeComException ex) when (ex.ErrCode == DetailsRefused)
            {
                return await ListIdsAsync(connection, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Every member's userid and departments (user/list_id, 10,000 pairs a page), by userid.</summary>
        public static async Task<Dictionary<string, WeComUser>> ListIdsAsync(WeComConnection connection, CancellationToken cancellationToken)
        {
            WeComLog.Verbose("Member details cannot be read with this secret (48009): members are compared by userid and departments only (user/list_id).");
            return (await connection.Users.ListIdsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(u => u.UserId, StringComparer.OrdinalIgnoreCase);
        }
    }
}
