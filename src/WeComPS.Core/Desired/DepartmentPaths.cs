using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WeComPS
{
    /// <summary>
    /// Departments as a plan names them: resolves ids, unique names and paths (with <see cref="NameResolver.FindDepartment"/>)
    /// against the tree, and labels each by its full path. With <c>createMissing</c>, a path whose last parts do not
    /// exist plans their creation, parents first, each name checked against WeCom's rules before anything is sent.
    /// </summary>
    internal sealed class DepartmentPaths
    {
        private readonly List<WeComDepartment> _all;
        private readonly Dictionary<int, WeComDepartment> _byId;
        private readonly bool _createMissing;
        private readonly List<WeComPlanItem> _creates = new List<WeComPlanItem>();

        public DepartmentPaths(IEnumerable<WeComDepartment> tree, bool createMissing)
        {
            _all = tree.ToList();
            _byId = _all.ToDictionary(d => d.Id);
            _createMissing = createMissing;
        }

        /// <summary>The tree with the departments planned so far.</summary>
        public IReadOnlyList<WeComDepartment> All => _all;

        /// <summary>The departments to create, parents first, as plan items.</summary>
        public IReadOnlyList<WeComPlanItem> Creates => _creates;

        /// <summary>The department's full path, or its id when the tree does not have it.</summary>
        public string Label(int id) => _byId.TryGetValue(id, out var d) && d.Path != null && d.Name != null ? d.Path : id.ToString(CultureInfo.InvariantCulture);

        /// <summary>The id of the department <paramref name="text"/> names (planned ones have ids below 0); throws DepartmentNotFound naming it.</summary>
        public int Resolve(string text)
        {
            int id;
            if (NameResolver.AsId(text) is null && _all.Count > 0 && _all.All(d => d.Name is null))
            {
                throw WeComException.InvalidInput(
                    "DepartmentNamesUnreadable", Msg.Get("DepartmentNamesUnreadable", text));
            }

            try
            {
                id = NameResolver.FindDepartment(_all, text);
            }
            catch (WeComException ex) when (ex.ErrorId == "DepartmentNotFound" && _createMissing && text.IndexOf('/') >= 0)
            {
                return Plan(text);
            }

            return _byId.ContainsKey(id) ? id : throw WeComException.NotFound(
                "DepartmentNotFound", Msg.Get("DepartmentIdNotFound", id), "department/list", Msg.Get("GiveExistingDepartmentPath"));
        }

        /// <summary>Plans the missing parts of <paramref name="text"/> below its deepest existing ancestor.</summary>
        private int Plan(string text)
        {
            var parts = text.Trim().Trim('/').Split('/').Select(p => p.Trim()).ToList();
            var existing = Enumerable.Range(1, parts.Count - 1).Reverse()
                .Select(n => _all.FirstOrDefault(d => string.Equals(d.Path, "/" + string.Join("/", parts.Take(n)), StringComparison.OrdinalIgnoreCase)))
                .FirstOrDefault(d => d != null)
                ?? throw WeComException.NotFound(
                    "DepartmentNotFound", Msg.Get("DepartmentTopNotFound", text, parts[0]), "department/list", Msg.Get("GiveFullPath"));
            var parent = existing;
            foreach (var name in parts.Skip(existing.Path!.Trim('/').Split('/').Length))
            {
                if (Rules.DepartmentName(name) is { } reason)
                {
                    throw reason.About("DepartmentItem", text);
                }

                var department = new WeComDepartment { Id = -(_creates.Count + 1), Name = name, ParentId = parent.Id, Path = parent.Path + "/" + name, Depth = parent.Depth + 1 };
                _all.Add(department);
                _byId[department.Id] = department;
                _creates.Add(new WeComPlanItem
                {
                    Action = WeComPlanAction.Create,
                    ObjectType = WeComPlanObjectType.Department,
                    Target = department.Path,
                    Name = name,
                    Changes = new WeComFieldChanges(new[]
                    {
                        new WeComFieldChange { Field = "Name", New = name },
                        new WeComFieldChange { Field = "Parent", New = parent.Path },
                    }),
                });
                parent = department;
            }

            return parent.Id;
        }
    }
}
