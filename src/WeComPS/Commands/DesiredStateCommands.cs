using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace WeComPS.Commands
{
    /// <summary>
    /// Desired rows as a plan reads them: the key column and the owned fields as text. Remembers the columns that name
    /// no field a plan compares (a misspelt column is not silently dropped) and owned ones left out by -Property.
    /// </summary>
    internal sealed class DesiredRowReader
    {
        private readonly Func<string, string?> _fieldOf;
        private readonly HashSet<string>? _owned;

        public DesiredRowReader(Func<string, string?> fieldOf, HashSet<string>? owned)
        {
            _fieldOf = fieldOf;
            _owned = owned;
        }

        public SortedSet<string> Unknown { get; } = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        public SortedSet<string> NotOwned { get; } = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The key column (<paramref name="key"/>) of <paramref name="row"/> and its owned fields; null, with <paramref name="missing"/> set, when the key is missing.</summary>
        public (string Key, List<KeyValuePair<string, string?>> Fields)? Read(PSObject row, string key, out WeComException? missing)
        {
            missing = null;
            var properties = row.Properties.Where(p => p.IsGettable).ToList();
            var value = Text(properties.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase))?.Value);
            if (string.IsNullOrWhiteSpace(value))
            {
                missing = WeComException.InvalidInput("Missing" + key, Msg.Get("RowMissingKey", row, key));
                return null;
            }

            var fields = new List<KeyValuePair<string, string?>>();
            foreach (var property in properties.Where(p => !string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)))
            {
                var field = _fieldOf(property.Name);
                if (field is null)
                {
                    Unknown.Add(property.Name);
                }
                else if (_owned != null && !_owned.Contains(field) && !(field.StartsWith(MemberFields.ExtAttrPrefix, StringComparison.OrdinalIgnoreCase) && _owned.Contains("ExtAttr")))
                {
                    NotOwned.Add(property.Name);
                }
                else if (Text(property.Value) is { } text)
                {
                    fields.Add(new KeyValuePair<string, string?>(field, text));
                }
            }

            return (value!, fields);
        }

        /// <summary>A cell or property as text: lists as "2;5", yes/no as true/false, a hashtable as "name=value;..."; null stays null (not owned).</summary>
        internal static string? Text(object? value)
        {
            var raw = value is PSObject wrapped ? wrapped.BaseObject : value;
            return raw switch
            {
                null => null,
                string text => text,
                bool flag => flag ? "true" : "false",
                IDictionary map => string.Join(";", map.Cast<DictionaryEntry>().Select(e => $"{e.Key}={Text(e.Value)}")),
                IEnumerable list => string.Join(";", list.Cast<object?>().Select(Text)),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => raw.ToString(),
            };
        }
    }

    /// <summary>What the commands that plan share: reading rows, and writing a plan's errors, warnings and notes.</summary>
    public abstract class DesiredStateCommand : WeComCmdlet
    {
        /// <summary>Reads member rows (UserId and the member fields).</summary>
        private protected static DesiredRowReader UserRows(HashSet<string>? owned) => new DesiredRowReader(DesiredStatePlanner.UserField, owned);

        /// <summary>Reads department rows (Path, and Id, Order, NameEn).</summary>
        private protected static DesiredRowReader DepartmentRows(HashSet<string>? owned) =>
            new DesiredRowReader(c => DesiredStatePlanner.DepartmentFields.FirstOrDefault(f => string.Equals(f, c, StringComparison.OrdinalIgnoreCase)), owned);

        /// <summary>The journal <paramref name="given"/> names, else $WeComJournalPath, as a file path; null when neither is set.</summary>
        private protected string? JournalFile(string? given)
        {
            var journal = given ?? (GetVariableValue("WeComJournalPath") as string ?? (GetVariableValue("WeComJournalPath") as PSObject)?.BaseObject as string);
            return string.IsNullOrWhiteSpace(journal) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(journal);
        }

        /// <summary>The entries of the journal at <paramref name="file"/>, for what WeCom kept at earlier applies; none when there is no journal yet.</summary>
        private protected List<WeComJournalEntry>? History(string? file)
        {
            try
            {
                return file != null && System.IO.File.Exists(file) ? WeComJournal.Read(file).ToList() : null;
            }
            catch (WeComException ex)
            {
                WriteWarning(Msg.Get("JournalNotRead", ex.Message));
                return null;
            }
        }

        /// <summary>Warns once about columns that match no field, and names in verbose the owned ones -Property left out.</summary>
        private protected void WriteColumns(DesiredRowReader reader, IEnumerable<string> fields)
        {
            var unknown = reader.Unknown.Where(c => !string.Equals(c, "NewUserId", StringComparison.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
            {
                WriteWarning(Msg.Get("NotCompared", string.Join(", ", unknown), string.Join(", ", fields)));
            }

            if (unknown.Count < reader.Unknown.Count)
            {
                WriteWarning(Msg.Get("NewUserIdNotCompared"));
            }

            if (reader.NotOwned.Count > 0)
            {
                WriteVerbose($"Not compared (left out by -Property): {string.Join(", ", reader.NotOwned)}.");
            }
        }

        /// <summary>Writes the plan's refused rows as errors and what it could not compare or prove as warnings.</summary>
        private protected void WritePlanNotes(WeComPlan plan)
        {
            foreach (var invalid in plan.Invalid)
            {
                WriteError(ToErrorRecord(invalid.Error!, invalid.Target));
            }

            if (plan.NotCompared.Count > 0)
            {
                WriteWarning(Msg.Get("NotReturned", string.Join(", ", plan.NotCompared)));
            }

            foreach (var note in plan.Notes)
            {
                WriteWarning(note + ".");
            }

            var kept = plan.Items.Where(i => i.Kept.Count > 0).ToList();
            if (kept.Count > 0)
            {
                WriteWarning(Msg.Get(
                    "KeptFieldsNotSent",
                    string.Join(", ", kept.SelectMany(i => i.Kept).Select(k => k.Field).Distinct()),
                    kept.Count,
                    string.Join(", ", kept.Take(5).Select(i => i.Target)) + (kept.Count > 5 ? ", ..." : "")));
            }
        }
    }

    /// <summary>
    /// What Compare-WeComUser and Compare-WeComDepartment share: the rows as owned fields (their columns, or
    /// -Property), what the plan includes, and writing it with its errors and a one-line summary.
    /// </summary>
    public abstract class ComparePlanCommand : DesiredStateCommand
    {
        private DesiredRowReader? _reader;

        /// <summary><para type="description">Plans the deletion of what is in WeCom but not in the rows, within -MaxDelete.</para></summary>
        [Parameter]
        public SwitchParameter IncludeDelete { get; set; }

        /// <summary><para type="description">Also writes what already matches, as Unchanged, and the unchanged fields of what changes.</para></summary>
        [Parameter]
        public SwitchParameter IncludeUnchanged { get; set; }

        /// <summary><para type="description">The most deletions the plan may have: a count (200) or a share of what there is now (25%); 10%, and at least 5, by default. A plan over it is an error, and Invoke-WeComPlan refuses it.</para></summary>
        [Parameter]
        public string? MaxDelete { get; set; }

        /// <summary><para type="description">The fields the source owns; only these are compared. Defaults to the columns of the rows that a plan can compare.</para></summary>
        [Parameter]
        public string[]? Property { get; set; }

        /// <summary>The deletion limit of -MaxDelete, or null for the default.</summary>
        private protected DeleteLimit? Limit { get; private set; }

        /// <summary>The field a column names, or null when the plan does not compare it.</summary>
        protected abstract string? FieldOf(string column);

        /// <summary>The fields this plan compares, for the error about -Property.</summary>
        protected abstract IEnumerable<string> Fields { get; }

        private protected abstract DesiredRowReader Reader(HashSet<string>? owned);

        protected override void BeginProcessing()
        {
            Limit = ParseDeleteLimit(MaxDelete);

            if (Property is null)
            {
                _reader = Reader(null);
                return;
            }

            var unknown = Property.Where(p => FieldOf(p) is null).ToList();
            if (unknown.Count > 0)
            {
                ThrowTerminatingError(ToErrorRecord(WeComException.InvalidInput("InvalidProperty", Msg.Get("PlanCannotCompare", string.Join(", ", unknown), string.Join(", ", Fields))), Property));
            }

            _reader = Reader(new HashSet<string>(Property.Select(p => FieldOf(p)!), StringComparer.OrdinalIgnoreCase));
        }

        /// <summary>
        /// The key column (<paramref name="key"/>) of <paramref name="row"/> and its owned fields as text; null, with an
        /// error written, when the key is missing.
        /// </summary>
        protected (string Key, List<KeyValuePair<string, string?>> Fields)? Read(PSObject row, string key)
        {
            var read = _reader!.Read(row, key, out var missing);
            if (missing != null)
            {
                WriteError(ToErrorRecord(missing, row));
            }

            return read;
        }

        /// <summary>Makes the plan with <paramref name="plan"/>, then writes its errors, warnings, items and summary.</summary>
        private protected void WritePlan(Func<WeComConnection, WeComPlanOptions, System.Threading.CancellationToken, System.Threading.Tasks.Task<WeComPlan>> plan, bool createMissing)
        {
            WriteColumns(_reader!, Fields);
            var connection = ResolveConnection();
            var options = new WeComPlanOptions { IncludeUnchanged = IncludeUnchanged, IncludeDelete = IncludeDelete, CreateMissingDepartments = createMissing, DeleteLimit = Limit };
            WeComPlan? made = null;
            RunAsync(async ct => made = await plan(connection, options, ct).ConfigureAwait(false));
            WritePlanNotes(made!);
            if (made!.DeletionRefused != null)
            {
                WriteError(ToErrorRecord(made.DeletionRefused, null));
            }

            WriteObject(made.Items, enumerateCollection: true);
            Say(Msg.Get(
                "PlanCounts",
                made.Count(WeComPlanAction.Create),
                made.Count(WeComPlanAction.Update),
                made.Count(WeComPlanAction.Delete),
                IncludeUnchanged ? Msg.Get("PlanUnchangedCount", made.Count(WeComPlanAction.Unchanged)) : "",
                made.Invalid.Count));
        }
    }

    /// <summary>
    /// <para type="synopsis">Compares desired members (Import-Csv rows, objects) with the directory and writes one plan item per difference: create, update or delete, each changed field as old -> new. Sends nothing.</para>
    /// </summary>
    [Cmdlet(VerbsData.Compare, "WeComUser")]
    [OutputType(typeof(WeComPlanItem))]
    public sealed class CompareWeComUserCommand : ComparePlanCommand
    {
        private readonly List<WeComDesiredUser> _rows = new List<WeComDesiredUser>();

        /// <summary><para type="description">A desired member: a row with a UserId column and the fields the source owns (Name, Position, Mobile, Department as "2;5" or paths such as 广州研发中心/测试部, ...). A blank cell means the field is empty; a column that is absent is not compared.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public PSObject InputObject { get; set; } = null!;

        /// <summary><para type="description">Plans the creation of the departments of paths that do not exist, parents first. Without it an unknown department is an error naming it.</para></summary>
        [Parameter]
        public SwitchParameter CreateMissingDepartments { get; set; }

        /// <summary><para type="description">The journal of earlier applies (Invoke-WeComPlan -JournalPath); defaults to $WeComJournalPath. A field WeCom kept at the latest apply without saying so beforehand (an email in a corp bound to Tencent Exmail), with the same old and wanted value, is listed under Kept rather than planned again.</para></summary>
        [Parameter]
        public string? JournalPath { get; set; }

        protected override IEnumerable<string> Fields => DesiredStatePlanner.UserFields;

        protected override string? FieldOf(string column) => DesiredStatePlanner.UserField(column);

        private protected override DesiredRowReader Reader(HashSet<string>? owned) => UserRows(owned);

        protected override void ProcessRecord()
        {
            if (Read(InputObject, "UserId") is { } row)
            {
                _rows.Add(new WeComDesiredUser(row.Key, row.Fields));
            }
        }

        protected override void EndProcessing()
        {
            var history = History(JournalFile(JournalPath));
            WritePlan(
                (connection, options, ct) =>
                {
                    options.History = history;
                    return new DesiredStatePlanner(connection).PlanUsersAsync(_rows, options, ProgressBar, ct);
                },
                CreateMissingDepartments);
        }
    }

    /// <summary>
    /// <para type="synopsis">Compares desired departments, given by path, with the tree and writes one plan item per difference: departments to create (parents first), to reorder or rename in English, and with -IncludeDelete to delete. Sends nothing.</para>
    /// </summary>
    [Cmdlet(VerbsData.Compare, "WeComDepartment")]
    [OutputType(typeof(WeComPlanItem))]
    public sealed class CompareWeComDepartmentCommand : ComparePlanCommand
    {
        private readonly List<WeComDesiredDepartment> _rows = new List<WeComDesiredDepartment>();

        /// <summary><para type="description">A desired department: a row with a Path column (广州研发中心/邮箱产品部) and, when the source owns them, Order and NameEn. With an Id column, a department whose path differs is renamed or moved to it in one update.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public PSObject InputObject { get; set; } = null!;

        protected override IEnumerable<string> Fields => DesiredStatePlanner.DepartmentFields;

        protected override string? FieldOf(string column) => DesiredStatePlanner.DepartmentFields.FirstOrDefault(f => string.Equals(f, column, StringComparison.OrdinalIgnoreCase));

        private protected override DesiredRowReader Reader(HashSet<string>? owned) => DepartmentRows(owned);

        protected override void ProcessRecord()
        {
            if (Read(InputObject, "Path") is { } row)
            {
                _rows.Add(new WeComDesiredDepartment(row.Key, row.Fields));
            }
        }

        protected override void EndProcessing() =>
            WritePlan((connection, options, ct) => new DesiredStatePlanner(connection).PlanDepartmentsAsync(_rows, options, ct), createMissing: true);
    }

    /// <summary>
    /// <para type="synopsis">Applies a plan from Compare-WeComUser or Compare-WeComDepartment, its rows read back from CSV or JSON, or desired rows directly (Import-Csv hr.csv | Invoke-WeComPlan, planned first): creates, renames, moves and updates departments, creates, updates and deletes members, then deletes departments, after checking each item against the directory as it is now. Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "WeComPlan", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = RowsSet)]
    [OutputType(typeof(WeComPlanResult))]
    public sealed class InvokeWeComPlanCommand : DesiredStateCommand
    {
        private const string PlanSet = "Plan";
        private const string RowsSet = "Rows";

        private readonly List<WeComPlanItem> _items = new List<WeComPlanItem>();
        private readonly List<WeComDesiredUser> _users = new List<WeComDesiredUser>();
        private readonly List<WeComDesiredDepartment> _departments = new List<WeComDesiredDepartment>();
        private readonly DesiredRowReader _userRows = UserRows(null);
        private readonly DesiredRowReader _departmentRows = DepartmentRows(null);
        private DeleteLimit? _limit;

        /// <summary><para type="description">What the item does: Create, Update or Delete (Unchanged items are skipped).</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PlanSet)]
        public WeComPlanAction Action { get; set; }

        /// <summary><para type="description">User or Department; User when not given.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PlanSet)]
        public WeComPlanObjectType ObjectType { get; set; }

        /// <summary><para type="description">The member's userid, or the department's full path.</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PlanSet)]
        [Alias("UserId")]
        public string Target { get; set; } = "";

        /// <summary><para type="description">The member's or department's name, as the plan shows it.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PlanSet)]
        public string? Name { get; set; }

        /// <summary><para type="description">The fields with their old and new values: the plan item's Changes, as objects, or as the JSON text Export-Csv writes.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PlanSet)]
        [PlanChanges]
        public WeComFieldChanges? Changes { get; set; }

        /// <summary><para type="description">Desired rows, applied in one step: members (a UserId column and the fields the source owns, as Compare-WeComUser reads them) and departments (a Path column, as Compare-WeComDepartment reads them). They are planned first, then applied as a reviewed plan is. Plan items piped here are applied as they are.</para></summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RowsSet)]
        public PSObject InputObject { get; set; } = null!;

        /// <summary><para type="description">With rows: creates the departments of paths that do not exist, parents first. Without it an unknown department is an error naming it.</para></summary>
        [Parameter(ParameterSetName = RowsSet)]
        public SwitchParameter CreateMissingDepartments { get; set; }

        /// <summary><para type="description">With rows: deletes what is in WeCom but not in the rows (members, when member rows are given; departments, when department rows are), within -MaxDelete.</para></summary>
        [Parameter(ParameterSetName = RowsSet)]
        public SwitchParameter IncludeDelete { get; set; }

        /// <summary><para type="description">Auto (the default) changes members one call each, or through one import job when more than 1,000 are created or updated; Immediate or Import forces either.</para></summary>
        [Parameter]
        public WeComApplyStrategy Strategy { get; set; }

        /// <summary><para type="description">A JSON-lines file that every applied change is appended to; defaults to $WeComJournalPath when that is set. Rows are planned with it as Compare-WeComUser -JournalPath is.</para></summary>
        [Parameter]
        public string? JournalPath { get; set; }

        /// <summary><para type="description">The most deletions the plan may make: a count (200) or a share of what there is now (25%); 10%, and at least 5, by default. A plan over it is refused before anything is sent.</para></summary>
        [Parameter]
        public string? MaxDelete { get; set; }

        protected override void BeginProcessing()
        {
            _limit = ParseDeleteLimit(MaxDelete);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == PlanSet)
            {
                Add(Action, ObjectType, Target, Name, Changes);
                return;
            }

            var rows = InputObject.BaseObject is IEnumerable list && !(InputObject.BaseObject is string) && !(InputObject.BaseObject is IDictionary)
                ? list.Cast<object?>().Where(o => o != null).Select(PSObject.AsPSObject)
                : new[] { InputObject };
            foreach (var row in rows)
            {
                AddRow(row);
            }
        }

        private void Add(WeComPlanAction action, WeComPlanObjectType type, string target, string? name, WeComFieldChanges? changes)
        {
            if (action != WeComPlanAction.Unchanged)
            {
                _items.Add(new WeComPlanItem { Action = action, ObjectType = type, Target = target.Trim(), Name = name, Changes = changes ?? new WeComFieldChanges(new WeComFieldChange[0]) });
            }
        }

        /// <summary>A plan item (it has an Action), a member row (UserId) or a department row (Path).</summary>
        private void AddRow(PSObject row)
        {
            object? Get(string property) => row.Properties[property]?.Value is { } v ? (v is PSObject p ? p.BaseObject : v) : null;
            try
            {
                if (row.BaseObject is WeComPlanItem item)
                {
                    if (item.Action != WeComPlanAction.Unchanged)
                    {
                        _items.Add(item);
                    }
                }
                else if (Get("Action") is { } action)
                {
                    Add(
                        LanguagePrimitives.ConvertTo<WeComPlanAction>(action),
                        Get("ObjectType") is { } type ? LanguagePrimitives.ConvertTo<WeComPlanObjectType>(type) : WeComPlanObjectType.User,
                        DesiredRowReader.Text(Get("Target") ?? Get("UserId")) ?? "",
                        DesiredRowReader.Text(Get("Name")),
                        (WeComFieldChanges?)new PlanChangesAttribute().Transform(null!, row.Properties["Changes"]?.Value));
                }
                else if (row.Properties["Path"] != null && row.Properties["UserId"] is null)
                {
                    if (_departmentRows.Read(row, "Path", out var missing) is { } department)
                    {
                        _departments.Add(new WeComDesiredDepartment(department.Key, department.Fields));
                    }
                    else
                    {
                        WriteError(ToErrorRecord(missing!, row));
                    }
                }
                else if (_userRows.Read(row, "UserId", out var missing) is { } user)
                {
                    _users.Add(new WeComDesiredUser(user.Key, user.Fields));
                }
                else
                {
                    WriteError(ToErrorRecord(missing!, row));
                }
            }
            catch (Exception ex) when (ex is PSInvalidCastException || ex is ArgumentTransformationMetadataException)
            {
                WriteError(ToErrorRecord(WeComException.InvalidInput("InvalidPlanItem", Msg.Get("RowNotAPlanItem", row, ex.Message)), row));
            }
        }

        protected override void EndProcessing()
        {
            var connection = ResolveConnection();
            if (_users.Count > 0 || _departments.Count > 0)
            {
                WriteColumns(_userRows, DesiredStatePlanner.UserFields);
                WriteColumns(_departmentRows, DesiredStatePlanner.DepartmentFields);
                var options = new WeComPlanOptions { IncludeDelete = IncludeDelete, CreateMissingDepartments = CreateMissingDepartments, DeleteLimit = _limit, History = History(JournalFile(JournalPath)) };
                WeComPlan? plan = null;
                RunAsync(async ct => plan = await new DesiredStatePlanner(connection).PlanRowsAsync(_users, _departments, options, ProgressBar, ct).ConfigureAwait(false));
                WritePlanNotes(plan!);
                if (plan!.DeletionRefused != null)
                {
                    ThrowTerminatingError(ToErrorRecord(plan.DeletionRefused, null));
                }

                _items.AddRange(plan.Items.Where(i => i.Action != WeComPlanAction.Unchanged));
            }

            if (_items.Count == 0)
            {
                return;
            }

            var strategy = DesiredStateApplier.Choose(_items, Strategy);
            var summary = Msg.Get("PlanSummary", _items.Count, _items.Count(i => i.Action == WeComPlanAction.Create), _items.Count(i => i.Action == WeComPlanAction.Update), _items.Count(i => i.Action == WeComPlanAction.Delete));
            if (!ShouldProcess(summary, Msg.Get("ApplyPlanQuery", summary), Msg.Get("ApplyPlan"), out var reason))
            {
                if (reason == ShouldProcessReason.WhatIf)
                {
                    foreach (var item in _items)
                    {
                        ShouldProcess($"{item.Target}: {item.Summary}", Describe(item));
                    }
                }

                return;
            }

            Say(Msg.Get(strategy == WeComApplyStrategy.Import ? "ApplyingThroughImport" : "ApplyingOneCallEach", summary));
            var apply = new WeComApplyOptions
            {
                Strategy = strategy,
                JournalPath = JournalFile(JournalPath),
                DeleteLimit = _limit,
                JobStarted = PostJobAccepted,
            };
            RunAsync(ct => new DesiredStateApplier(connection).ApplyAsync(
                _items,
                apply,
                (result, error) =>
                {
                    PostObject(result);
                    if (error != null)
                    {
                        PostError(error, result.Target);
                    }
                },
                ProgressBar,
                ct));
        }

        /// <summary>What -WhatIf says an item does: "Update member", "Rename department", "Move department".</summary>
        private static string Describe(WeComPlanItem item)
        {
            var (moved, renamed) = (item.Changes["Parent"] != null, item.Changes["Name"] != null);
            return item.ObjectType == WeComPlanObjectType.User ? Msg.Get("PlanActionOn", ActionText(item.Action), Msg.Get("MemberNoun"))
                : item.Action == WeComPlanAction.Update && moved ? Msg.Get(renamed ? "MoveAndRenameDepartment" : "MoveDepartment")
                : item.Action == WeComPlanAction.Update && renamed ? Msg.Get("RenameDepartment")
                : Msg.Get("PlanActionOn", ActionText(item.Action), Msg.Get("DepartmentNoun"));
        }

        private static string ActionText(WeComPlanAction action) => action switch
        {
            WeComPlanAction.Create => Msg.Get("ActionCreate"),
            WeComPlanAction.Delete => Msg.Get("ActionDelete"),
            WeComPlanAction.Update => Msg.Get("ActionUpdate"),
            _ => Msg.Get("ActionUnchanged"),
        };
    }

    /// <summary>
    /// <para type="synopsis">Reads a journal written by Invoke-WeComPlan -JournalPath (or $WeComJournalPath) back as objects, oldest first.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WeComJournal")]
    [OutputType(typeof(WeComJournalEntry))]
    public sealed class GetWeComJournalCommand : WeComAsyncCmdlet
    {
        /// <summary><para type="description">The journal file; defaults to $WeComJournalPath.</para></summary>
        [Parameter(Position = 0)]
        public string? Path { get; set; }

        /// <summary><para type="description">Only the entries about these members or departments (wildcards allowed).</para></summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? Target { get; set; }

        protected override void EndProcessing()
        {
            var path = Path ?? (GetVariableValue("WeComJournalPath") as string ?? (GetVariableValue("WeComJournalPath") as PSObject)?.BaseObject as string);
            if (string.IsNullOrWhiteSpace(path))
            {
                ThrowTerminatingError(new ErrorRecord(new PSArgumentException(Msg.Get("JournalPathMissing")), "JournalPathMissing", ErrorCategory.InvalidArgument, null));
            }

            var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            if (!System.IO.File.Exists(file))
            {
                ThrowTerminatingError(new ErrorRecord(new System.IO.FileNotFoundException(Msg.Get("JournalNotFound", file), file), "JournalNotFound", ErrorCategory.ObjectNotFound, file));
            }

            var patterns = Target?.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
            try
            {
                foreach (var entry in WeComJournal.Read(file))
                {
                    if (patterns is null || patterns.Any(p => p.IsMatch(entry.Target)))
                    {
                        WriteObject(entry);
                    }
                }
            }
            catch (WeComException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex, file));
            }
        }
    }

    /// <summary>
    /// Takes a plan item's changes as the module writes them: the objects, the JSON text of a CSV cell, or the
    /// Field/Old/New objects ConvertFrom-Json makes.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class PlanChangesAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            try
            {
                return value switch
                {
                    null => null,
                    WeComFieldChanges changes => changes,
                    string text => WeComFieldChanges.Parse(text),
                    IEnumerable list => new WeComFieldChanges(list.Cast<object?>().Where(i => i != null).Select(Change)),
                    _ => new WeComFieldChanges(new[] { Change(inputData) }),
                };
            }
            catch (WeComException ex)
            {
                throw new ArgumentTransformationMetadataException(ex.Message, ex);
            }
        }

        private static WeComFieldChange Change(object? item)
        {
            if ((item is PSObject w ? w.BaseObject : item) is WeComFieldChange change)
            {
                return change;
            }

            var properties = PSObject.AsPSObject(item!).Properties;
            string? Get(string name) => properties[name]?.Value is { } v ? (v is PSObject p ? p.BaseObject : v).ToString() : null;
            return new WeComFieldChange
            {
                Field = Get("Field") ?? throw new ArgumentTransformationMetadataException($"'{item}' is not a field change: it has no Field."),
                Old = Get("Old"),
                New = Get("New"),
            };
        }
    }
}
