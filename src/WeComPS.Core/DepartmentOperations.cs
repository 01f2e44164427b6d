using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>Reads and changes departments.</summary>
    internal sealed partial class DepartmentOperations
    {
        private readonly WeComConnection _connection;

        internal DepartmentOperations(WeComConnection connection) => _connection = connection;

        /// <summary>
        /// The whole visible tree in one call (department/list), in tree order (parents first, siblings by
        /// descending order), each with its full path and depth. Where WeCom refuses names to the connection's
        /// secret (48009) and it holds no app secret, the tree comes from department/simplelist without names (paths
        /// of ids), with one warning saying how to read them.
        /// </summary>
        public async Task<IReadOnlyList<WeComDepartment>> GetTreeAsync(CancellationToken cancellationToken)
        {
            try
            {
                var (_, root) = await _connection.Routing.ReadDetailsAsync(c => c.GetAsync("department/list", null, cancellationToken)).ConfigureAwait(false);
                return Arrange(root.Items("department").Select(Parse));
            }
            catch (WeComException error) when (error.ErrCode == SecretRouting.DetailsForbidden)
            {
                WeComLog.Warning(Msg.Get("DepartmentsWithoutNames", NoDetails));
                return await GetIdTreeAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Why names and details are missing, and how to read them: the end of the warning of a limited read.</summary>
        internal static string NoDetails => Msg.Get("NoDetails") + " " + WeComErrorCatalog.Describe(48009).Advice;

        /// <summary>
        /// The ids of the whole visible tree in one light call (department/simplelist), in tree order; names are
        /// not included. This call also works for contacts-sync IPs added after 2022-08-15.
        /// </summary>
        public async Task<IReadOnlyList<WeComDepartment>> GetIdTreeAsync(CancellationToken cancellationToken)
        {
            var root = await _connection.Client.GetAsync("department/simplelist", null, cancellationToken).ConfigureAwait(false);
            return Arrange(root.Items("department_id").Select(Parse));
        }

        /// <summary>The department <paramref name="id"/> and, with <paramref name="recurse"/>, all below it, in tree order.</summary>
        public static IEnumerable<WeComDepartment> Subtree(IReadOnlyList<WeComDepartment> tree, int id, bool recurse)
        {
            var start = -1;
            for (var i = 0; i < tree.Count; i++)
            {
                if (tree[i].Id == id)
                {
                    start = i;
                    break;
                }
            }

            if (start < 0)
            {
                yield break;
            }

            yield return tree[start];
            // In tree order a subtree is the run of deeper entries right after its root.
            for (var i = start + 1; recurse && i < tree.Count && tree[i].Depth > tree[start].Depth; i++)
            {
                yield return tree[i];
            }
        }

        internal static WeComDepartment Parse(JsonElement e) => new WeComDepartment
        {
            Id = e.Int("id") ?? 0,
            Name = e.Str("name"),
            NameEn = e.Str("name_en"),
            ParentId = e.Int("parentid") ?? 0,
            Order = e.Long("order") ?? 0,
            Leaders = e.StrArray("department_leader"),
        };

        /// <summary>Orders departments depth-first from the top visible ones and fills in Path and Depth.</summary>
        internal static IReadOnlyList<WeComDepartment> Arrange(IEnumerable<WeComDepartment> departments)
        {
            var all = departments.GroupBy(d => d.Id).Select(g => g.First()).ToList();
            var ids = new HashSet<int>(all.Select(d => d.Id));
            var children = all.ToLookup(d => ids.Contains(d.ParentId) && d.ParentId != d.Id ? d.ParentId : (int?)null);
            var result = new List<WeComDepartment>(all.Count);
            var stack = new Stack<(WeComDepartment Department, string ParentPath, int Depth)>();

            void PushChildren(int? parent, string parentPath, int depth)
            {
                foreach (var child in children[parent].OrderBy(d => d.Order).ThenByDescending(d => d.Id))
                {
                    stack.Push((child, parentPath, depth));
                }
            }

            PushChildren(null, "", 0);
            while (stack.Count > 0)
            {
                var (department, parentPath, depth) = stack.Pop();
                department.Path = parentPath + "/" + (department.Name ?? department.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                department.Depth = depth;
                result.Add(department);
                PushChildren(department.Id, department.Path, depth + 1);
            }

            return result;
        }
    }
}
