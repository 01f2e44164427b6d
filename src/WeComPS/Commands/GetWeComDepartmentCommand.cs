using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace WeComPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets departments, with their full path and depth: the whole tree, or given departments with or without everything below them.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WeComDepartment")]
    [OutputType(typeof(WeComDepartment))]
    public sealed class GetWeComDepartmentCommand : WeComCmdlet
    {
        private readonly List<string> _ids = new List<string>();

        /// <summary><para type="description">Departments by id, unique name or full path (/广州研发中心/测试部), or objects that carry a DepartmentId (departments, tagged departments, rows with a DepartmentId column). Without it, the whole visible tree; an empty or unbound pipeline selects nothing.</para></summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [Alias("DepartmentId", "Department")]
        [DepartmentIdArgument]
        [ArgumentCompleter(typeof(DepartmentIdCompleter))]
        public string[]? Id { get; set; }

        /// <summary><para type="description">With -Id, also every department below the given ones.</para></summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        /// <summary><para type="description">Only departments whose name matches; wildcards are allowed.</para></summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(DepartmentNameCompleter))]
        public string? Name { get; set; }

        protected override void ProcessRecord()
        {
            if (Id != null)
            {
                _ids.AddRange(Id);
            }
        }

        protected override void EndProcessing()
        {
            if (PipedNothing(_ids.Count))
            {
                return;
            }

            var connection = ResolveConnection();
            var pattern = Name is null ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            // One department/list call serves every id: paths need the ancestors anyway.
            RunAsync(async cancellationToken =>
            {
                var tree = await connection.Departments.GetTreeAsync(cancellationToken).ConfigureAwait(false);
                var selected = _ids.Count == 0 ? tree : Select(tree);
                foreach (var department in selected.Where(d => pattern is null || pattern.IsMatch(d.Name ?? "")))
                {
                    PostObject(department);
                }
            });
        }

        private IEnumerable<WeComDepartment> Select(IReadOnlyList<WeComDepartment> tree)
        {
            var seen = new HashSet<int>();
            foreach (var text in _ids.Distinct())
            {
                int id;
                try
                {
                    id = NameResolver.FindDepartment(tree, text);
                }
                catch (WeComException ex)
                {
                    PostError(ex, text);
                    continue;
                }

                var subtree = DepartmentOperations.Subtree(tree, id, Recurse).ToList();
                if (subtree.Count == 0)
                {
                    PostError(WeComException.NotFound("DepartmentNotFound", Msg.Get("DepartmentNotInTree", id), "department/list", Msg.Get("DepartmentNotInTreeAdvice")), id);
                }

                foreach (var department in subtree.Where(d => seen.Add(d.Id)))
                {
                    yield return department;
                }
            }
        }
    }
}
