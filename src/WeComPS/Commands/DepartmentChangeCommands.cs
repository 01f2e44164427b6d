using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates departments, in the order given, so parents can come before their children. Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "WeComDepartment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(WeComDepartment))]
    public sealed class NewWeComDepartmentCommand : WeComCmdlet
    {
        private readonly List<WeComDepartmentChange> _departments = new List<WeComDepartmentChange>();

        /// <summary><para type="description">The name, 1 to 64 characters, none of \ : * ? " &lt; &gt; |, unique among its siblings.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = "";

        /// <summary><para type="description">The parent department, by id (the root is 1), unique name or full path such as /广州研发中心/测试部.</para></summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DepartmentIdCompleter))]
        public string ParentId { get; set; } = "";

        /// <summary><para type="description">The English name.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull]
        public string? NameEn { get; set; }

        /// <summary><para type="description">Order among its siblings, 0 to 4294967295; larger sorts first.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(As = typeof(long))]
        public long? Order { get; set; }

        /// <summary><para type="description">The id to give the department (above 1, unused); WeCom picks one when it is left out.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DepartmentId")]
        [BlankAsNull(As = typeof(int))]
        public int? Id { get; set; }

        protected override void ProcessRecord()
        {
            // A parent created earlier in this pipeline does not exist yet: WeCom checks that one.
            if (!TryResolveIds(new[] { ParentId }, tags: false, Msg.Get("DepartmentLabel", Name), Name, out var parent)
                || (!_departments.Any(d => d.Id == parent![0]) && !CheckDepartmentsExist(parent, Msg.Get("DepartmentLabel", Name), Name)))
            {
                return;
            }

            var department = new WeComDepartmentChange { Id = Id, Name = Name.Trim(), NameEn = NameEn, ParentId = parent![0], Order = Order };
            if (Approve(department.Validate(creating: true), department.Name, Msg.Get("UnderParent", department.Name, DepartmentLabel(parent[0], ConfirmImpact.Medium)), Msg.Get("CreateDepartment")))
            {
                _departments.Add(department);
            }
        }

        protected override void EndProcessing() =>
            RunChanges(_departments.Count, (connection, ct) => connection.Departments.CreateAsync(_departments, ProgressBar, ct), writeEach: true);
    }

    /// <summary>
    /// <para type="synopsis">Renames, moves or reorders departments: only the fields given are changed. Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "WeComDepartment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(WeComDepartment))]
    public sealed class SetWeComDepartmentCommand : WeComCmdlet
    {
        private readonly List<WeComDepartmentChange> _changes = new List<WeComDepartmentChange>();

        /// <summary><para type="description">The department to change, by id, unique name or full path; departments from Get-WeComDepartment bind by their Id.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("DepartmentId")]
        [BlankAsNull]
        [ArgumentCompleter(typeof(DepartmentIdCompleter))]
        public string Id { get; set; } = "";

        /// <summary><para type="description">A new name, 1 to 64 characters, none of \ : * ? " &lt; &gt; |.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull]
        public string? Name { get; set; }

        /// <summary><para type="description">A new English name.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull]
        public string? NameEn { get; set; }

        /// <summary><para type="description">Moves the department under this parent, by id, unique name or full path; not below itself.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull]
        [ArgumentCompleter(typeof(DepartmentIdCompleter))]
        public string? ParentId { get; set; }

        /// <summary><para type="description">A new order among its siblings, 0 to 4294967295; larger sorts first.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(As = typeof(long))]
        public long? Order { get; set; }

        /// <summary><para type="description">Empties the English name: -Clear NameEn. (An empty -NameEn or a blank CSV cell leaves it unchanged.)</para></summary>
        [Parameter]
        [ValidateSet(nameof(NameEn), IgnoreCase = true)]
        public string[]? Clear { get; set; }

        /// <summary><para type="description">Writes each changed department, read back from WeCom.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// <para type="description">What was piped. A department read from WeCom (Get-WeComDepartment) names the department to change and nothing else: only the fields given on the command line are sent. A row (Import-Csv, [pscustomobject]) also gives the fields of its columns.</para>
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        private HashSet<string> _givenOnCommandLine = new HashSet<string>();

        protected override void BeginProcessing() =>
            _givenOnCommandLine = new HashSet<string>(MyInvocation.BoundParameters.Keys, System.StringComparer.OrdinalIgnoreCase);

        protected override void ProcessRecord()
        {
            WarnUnmatchedColumns(InputObject);
            if (InputObject != null && !PipedInput.IsRecord(InputObject) && !PipedInput.IsRow(InputObject))
            {
                WriteError(new ErrorRecord(new PSArgumentException(Msg.Get("InputNotADepartment", InputObject.BaseObject.GetType().Name, InputObject)), "InputNotADepartment", ErrorCategory.InvalidArgument, InputObject));
                return;
            }

            // A record piped back binds as identity only.
            var record = PipedInput.IsRecord(InputObject);
            T? Given<T>(string name, T? value) => !record || _givenOnCommandLine.Contains(name) ? value : default;
            var parentGiven = Given(nameof(ParentId), ParentId);
            if (!TryResolveIds(new[] { Id }, tags: false, "", Id, out var ids)
                || !TryResolveIds(parentGiven is null ? null : new[] { parentGiven }, tags: false, $"Department {Id}", Id, out var parent))
            {
                return;
            }

            var id = ids![0];

            // The root, piped from Get-WeComDepartment, carries ParentId 0: it means "no parent", not a move.
            var parentId = parent?[0] is { } p && p != 0 ? p : (int?)null;
            var change = new WeComDepartmentChange { Id = id, Name = Given(nameof(Name), Name?.Trim()), NameEn = Given(nameof(NameEn), NameEn), ParentId = parentId, Order = Given(nameof(Order), Order), ClearNameEn = Clear != null };
            var shown = DepartmentLabel(id, ConfirmImpact.Medium) + (parentId is { } moved ? Msg.Get("UnderDepartment", DepartmentLabel(moved, ConfirmImpact.Medium)) : "");
            if (Approve(change.Validate(creating: false) ?? change.CheckChangesSomething(), id, shown, Msg.Get("UpdateDepartment")))
            {
                _changes.Add(change);
            }
        }

        protected override void EndProcessing() =>
            RunChanges(_changes.Count, (connection, ct) => connection.Departments.UpdateAsync(_changes, ProgressBar, ct), passThru: PassThru ? ReadBackAsync : null);

        private async Task ReadBackAsync(WeComConnection connection, List<int> changed, CancellationToken cancellationToken)
        {
            var tree = await connection.Departments.GetTreeAsync(cancellationToken).ConfigureAwait(false);
            foreach (var department in tree.Where(d => changed.Contains(d.Id)))
            {
                PostObject(department);
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Removes departments, deepest first, so a subtree piped from Get-WeComDepartment -Recurse goes in one pipeline. Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "WeComDepartment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveWeComDepartmentCommand : WeComCmdlet
    {
        private readonly List<int> _ids = new List<int>();

        /// <summary><para type="description">The departments to remove: ids, unique names or full paths, or departments from Get-WeComDepartment, tagged departments and rows with a DepartmentId column (another object's Id is no department). WeCom refuses one that still has members.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("DepartmentId")]
        [DepartmentIdArgument]
        [ArgumentCompleter(typeof(DepartmentIdCompleter))]
        public string[] Id { get; set; } = new string[0];

        /// <summary><para type="description">The most departments it may remove: a count (20) or a share of the departments (25%). Over it, nothing is sent. Default: 10%, at least 5.</para></summary>
        [Parameter]
        public string? MaxDelete { get; set; }

        private int _asked;

        protected override void ProcessRecord()
        {
            _asked += Id.Length;
            foreach (var id in ResolveEach(Id, tags: false))
            {
                // What WeCom would refuse (members left) is found now, so -WhatIf tells it and nothing doomed is sent.
                var label = DepartmentLabel(id, ConfirmImpact.High);
                var departments = ResolveConnection().Departments;
                if (Approve(Await(ct => departments.CheckRemovableAsync(id, label, ct)), id, Msg.Get("DepartmentTarget", label), Msg.Get("RemoveDepartment")))
                {
                    _ids.Add(id);
                }
            }
        }

        private DeleteLimit _limit = DeleteLimit.Default;

        // A limit that is none ends the command before anything is asked or read.
        protected override void BeginProcessing() => _limit = ParseDeleteLimit(MaxDelete);

        protected override void EndProcessing()
        {
            ShowDeleteLimit(_asked, _limit, Msg.Get("DepartmentNoun"));
            RunChanges(_ids.Count, (connection, ct) => connection.Departments.DeleteAsync(_ids, ProgressBar, ct, _limit));
        }
    }
}
