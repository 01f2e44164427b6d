using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;

namespace WeComPS.Commands
{
    /// <summary>
    /// What Compare-WeComUser and Compare-WeComDepartment share: the rows as owned fields (their columns, or
    /// -Property), what the plan includes, and writing it with its errors and a one-line summary.
    /// </summary>
    public abstract class ComparePlanCommand : WeComCmdlet
    {
        // Columns that name no field a plan compares (a warning: a misspelt column is not silently dropped), and owned
        // ones left out by -Property (verbose).
        private readonly SortedSet<string> _unknown = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly SortedSet<string> _notOwned = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        private HashSet<string>? _owned;

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
        protected DeleteLimit? Limit { get; private set; }

        /// <summary>The field a column names, or null when the plan does not compare it.</summary>
        protected abstract string? FieldOf(string column);

        /// <summary>The fields this plan compares, for the error about -Property.</summary>
        protected abstract IEnumerable<string> Fields { get; }

        protected override void BeginProcessing()
        {
            Limit = ParseDeleteLimit(MaxDelete);

            if (Property is null)
            {
                return;
            }

            var unknown = Property.Where(p => FieldOf(p) is null).ToList();
            if (unknown.Count > 0)
            {
                ThrowTerminatingError(ToErrorRecord(WeComException.InvalidInput("InvalidProperty", Msg.Get("PlanCannotCompare", string.Join(", ", unknown), string.Join(", ", Fields))), Property));
            }

            _owned = new HashSet<string>(Property.Select(p => FieldOf(p)!), StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>
        /// The key column (<paramref name="key"/>) of <paramref name="row"/> and its owned fields as text; null, with an
        /// error written, when the key is missing.
        /// </summary>
        protected (string Key, List<KeyValuePair<string, string?>> Fields)? Read(PSObject row, string key)
        {
            var properties = row.Properties.Where(p => p.IsGettable).ToList();
            var value = Text(properties.FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase))?.Value);
            if (string.IsNullOrWhiteSpace(value))
            {
                WriteError(ToErrorRecord(WeComException.InvalidInput("Missing" + key, Msg.Get("RowMissingKey", row, key)), row));
                return null;
            }

            var fields = new List<KeyValuePair<string, string?>>();
            foreach (var property in properties.Where(p => !string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)))
            {
                var field = FieldOf(property.Name);
                if (field is null)
                {
                    _unknown.Add(property.Name);
                }
                else if (_owned != null && !_owned.Contains(field))
                {
                    _notOwned.Add(property.Name);
                }
                else if (Text(property.Value) is { } text)
                {
                    fields.Add(new KeyValuePair<string, string?>(field, text));
                }
            }

            return (value!, fields);
        }

        /// <summary>Makes the plan with <paramref name="plan"/>, then writes its errors, warnings, items and summary.</summary>
        protected void WritePlan(Func<WeComConnection, WeComPlanOptions, System.Threading.CancellationToken, System.Threading.Tasks.Task<WeComPlan>> plan, bool createMissing)
        {
            if (_unknown.Count > 0)
            {
                WriteWarning(Msg.Get("NotCompared", string.Join(", ", _unknown), string.Join(", ", Fields)));
            }

            if (_notOwned.Count > 0)
            {
                WriteVerbose($"Not compared (left out by -Property): {string.Join(", ", _notOwned)}.");
            }

            var connection = ResolveConnection();
            var options = new WeComPlanOptions { IncludeUnchanged = IncludeUnchanged, IncludeDelete = IncludeDelete, CreateMissingDepartments = createMissing, DeleteLimit = Limit };
            WeComPlan? made = null;
            RunAsync(async ct => made = await plan(connection, options, ct).ConfigureAwait(false));
            foreach (var invalid in made!.Invalid)
            {
                WriteError(ToErrorRecord(invalid.Error!, invalid.Target));
            }

            if (made.NotCompared.Count > 0)
            {
                WriteWarning(Msg.Get("NotReturned", string.Join(", ", made.NotCompared)));
            }

            if (made.DeletionRefused != null)
            {
                WriteError(ToErrorRecord(made.DeletionRefused, null));
            }

            WriteObject(made.Items, enumerateCollection: true);
            Say($"Plan: create {made.Count(WeComPlanAction.Create)}, update {made.Count(WeComPlanAction.Update)}, delete {made.Count(WeComPlanAction.Delete)}"
                + (IncludeUnchanged ? $", unchanged {made.Count(WeComPlanAction.Unchanged)}" : "") + $"; {made.Invalid.Count} row(s) refused.");
        }

        /// <summary>A cell or property as text: lists as "2;5", yes/no as true/false; null stays null (not owned).</summary>
        private static string? Text(object? value)
        {
            var raw = value is PSObject wrapped ? wrapped.BaseObject : value;
            return raw switch
            {
                null => null,
                string text => text,
                bool flag => flag ? "true" : "false",
                IEnumerable list => string.Join(";", list.Cast<object?>().Select(Text)),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => raw.ToString(),
            };
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

        protected override IEnumerable<string> Fields => DesiredStatePlanner.UserFields;

        protected override string? FieldOf(string column) => DesiredStatePlanner.UserField(column);

        protected override void ProcessRecord()
        {
            if (Read(InputObject, "UserId") is { } row)
            {
                _rows.Add(new WeComDesiredUser(row.Key, row.Fields));
            }
        }

        protected override void EndProcessing() =>
            WritePlan((connection, options, ct) => new DesiredStatePlanner(connection).PlanUsersAsync(_rows, options, ProgressBar, ct), CreateMissingDepartments);
    }

    /// <summary>
    /// <para type="synopsis">Compares desired departments, given by path, with the tree and writes one plan item per difference: departments to create (parents first), to reorder or rename in English, and with -IncludeDelete to delete. Sends nothing.</para>
    /// </summary>
    [Cmdlet(VerbsData.Compare, "WeComDepartment")]
    [OutputType(typeof(WeComPlanItem))]
    public sealed class CompareWeComDepartmentCommand : ComparePlanCommand
    {
        private readonly List<WeComDesiredDepartment> _rows = new List<WeComDesiredDepartment>();

        /// <summary><para type="description">A desired department: a row with a Path column (广州研发中心/邮箱产品部) and, when the source owns them, Order and NameEn.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public PSObject InputObject { get; set; } = null!;

        protected override IEnumerable<string> Fields => DesiredStatePlanner.DepartmentFields;

        protected override string? FieldOf(string column) => DesiredStatePlanner.DepartmentFields.FirstOrDefault(f => string.Equals(f, column, StringComparison.OrdinalIgnoreCase));

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
    /// <para type="synopsis">Applies a plan from Compare-WeComUser or Compare-WeComDepartment, or its rows read back from CSV or JSON: creates and updates departments, creates, updates and deletes members, then deletes departments, after checking each item against the directory as it is now. Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "WeComPlan", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(WeComPlanResult))]
    public sealed class InvokeWeComPlanCommand : WeComCmdlet
    {
        private readonly List<WeComPlanItem> _items = new List<WeComPlanItem>();
        private DeleteLimit? _limit;

        /// <summary><para type="description">What the item does: Create, Update or Delete (Unchanged items are skipped).</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public WeComPlanAction Action { get; set; }

        /// <summary><para type="description">User or Department; User when not given.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public WeComPlanObjectType ObjectType { get; set; }

        /// <summary><para type="description">The member's userid, or the department's full path.</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("UserId")]
        public string Target { get; set; } = "";

        /// <summary><para type="description">The member's or department's name, as the plan shows it.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Name { get; set; }

        /// <summary><para type="description">The fields with their old and new values: the plan item's Changes, as objects, or as the JSON text Export-Csv writes.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [PlanChanges]
        public WeComFieldChanges? Changes { get; set; }

        /// <summary><para type="description">Auto (the default) changes members one call each, or through one import job when more than 1,000 are created or updated; Immediate or Import forces either.</para></summary>
        [Parameter]
        public WeComApplyStrategy Strategy { get; set; }

        /// <summary><para type="description">A JSON-lines file that every applied change is appended to; defaults to $WeComJournalPath when that is set.</para></summary>
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
            if (Action != WeComPlanAction.Unchanged)
            {
                _items.Add(new WeComPlanItem { Action = Action, ObjectType = ObjectType, Target = Target.Trim(), Name = Name, Changes = Changes ?? new WeComFieldChanges(new WeComFieldChange[0]) });
            }
        }

        protected override void EndProcessing()
        {
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
                        ShouldProcess($"{item.Target}: {item.Summary}", $"{item.Action} {Msg.Get(item.ObjectType == WeComPlanObjectType.User ? "MemberNoun" : "DepartmentNoun")}");
                    }
                }

                return;
            }

            Say(strategy == WeComApplyStrategy.Import
                ? $"Applying {summary} through an import job (batch/syncuser); deletions and fields the template lacks go one call each."
                : $"Applying {summary} one call each.");
            var journal = JournalPath ?? (GetVariableValue("WeComJournalPath") as string ?? (GetVariableValue("WeComJournalPath") as PSObject)?.BaseObject as string);
            var options = new WeComApplyOptions
            {
                Strategy = strategy,
                JournalPath = string.IsNullOrWhiteSpace(journal) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(journal),
                DeleteLimit = _limit,
            };
            var connection = ResolveConnection();
            RunAsync(ct => new DesiredStateApplier(connection).ApplyAsync(
                _items,
                options,
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
