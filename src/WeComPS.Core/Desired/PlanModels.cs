using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WeComPS
{
    /// <summary>What a plan item does to its member or department.</summary>
    public enum WeComPlanAction
    {
        Unchanged = 0,
        Create = 1,
        Update = 2,
        Delete = 3,
    }

    /// <summary>What a plan item is about.</summary>
    public enum WeComPlanObjectType
    {
        User = 0,
        Department = 1,
    }

    /// <summary>How a plan is applied: one call per member, or WeCom's async import; Auto chooses by size.</summary>
    public enum WeComApplyStrategy
    {
        Auto = 0,
        Immediate = 1,
        Import = 2,
    }

    /// <summary>The outcome of one applied plan item.</summary>
    public enum WeComPlanResultStatus
    {
        Succeeded = 0,
        Failed = 1,
        /// <summary>The directory no longer matches the plan's old values: nothing was sent for the item.</summary>
        Stale = 2,
        /// <summary>WeCom keeps the member's own value of every field the item changes (see the item's Kept): nothing was sent.</summary>
        Kept = 3,
    }

    /// <summary>One field of a plan item: its value in WeCom now (null when the member does not exist yet) and the value wanted.</summary>
    public sealed class WeComFieldChange
    {
        public string Field { get; set; } = "";
        public string? Old { get; set; }
        public string? New { get; set; }

        public override string ToString() => $"{Field}: {Show(Old)} -> {Show(New)}";

        private static string Show(string? value) => value is null ? "(none)" : value.Length == 0 ? "''" : value;
    }

    /// <summary>
    /// The fields of a plan item. As text it is compact JSON, so Export-Csv writes a cell that <see cref="Parse"/>
    /// reads back; ConvertTo-Json writes it as an array of Field, Old, New.
    /// </summary>
    public sealed class WeComFieldChanges : ReadOnlyCollection<WeComFieldChange>
    {
        internal static readonly JsonSerializerOptions Json = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public WeComFieldChanges(IEnumerable<WeComFieldChange> changes)
            : base(changes.ToList())
        {
        }

        /// <summary>The value of <paramref name="field"/>'s change, or null.</summary>
        public WeComFieldChange? this[string field] => this.FirstOrDefault(c => string.Equals(c.Field, field, StringComparison.OrdinalIgnoreCase));

        public override string ToString() => JsonSerializer.Serialize(this.ToList(), Json);

        /// <summary>The changes written by <see cref="ToString"/> (a CSV cell); blank is none.</summary>
        public static WeComFieldChanges Parse(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return new WeComFieldChanges(new WeComFieldChange[0]);
            }

            try
            {
                return new WeComFieldChanges(JsonSerializer.Deserialize<List<WeComFieldChange>>(text!, Json) ?? new List<WeComFieldChange>());
            }
            catch (JsonException ex)
            {
                throw WeComException.InvalidInput("InvalidPlanItem", Msg.Get("NotPlanChanges", text, ex.Message));
            }
        }
    }

    /// <summary>
    /// One difference between the desired rows and the directory: a member or department to create, update or delete,
    /// with each field it changes as old -> new. Export-Csv and ConvertTo-Json write it, and their rows pipe back into
    /// Invoke-WeComPlan.
    /// </summary>
    public sealed class WeComPlanItem
    {
        public WeComPlanAction Action { get; set; }
        public WeComPlanObjectType ObjectType { get; set; }
        /// <summary>The member's userid, or the department's full path.</summary>
        public string Target { get; set; } = "";
        /// <summary>The member's or department's name, for the reader.</summary>
        public string? Name { get; set; }
        public WeComFieldChanges Changes { get; set; } = new WeComFieldChanges(new WeComFieldChange[0]);
        /// <summary>
        /// Fields that differ but that WeCom keeps as the member has them (a new mobile is ignored once the member has
        /// activated): never sent, so they do not show up as a change on every plan.
        /// </summary>
        public WeComFieldChanges Kept { get; set; } = new WeComFieldChanges(new WeComFieldChange[0]);
        /// <summary>What the reader should know about the item, such as the department a create and a delete may rename.</summary>
        public string? Note { get; set; }

        /// <summary>"Position: 后台工程师 -> 架构师; Mobile: (none) -> 13900000001".</summary>
        public string Summary => WeComPlanText.Summary(Changes, Kept, Note);

        public override string ToString() => $"{Action} {(ObjectType == WeComPlanObjectType.User ? "member" : "department")} {Target}";
    }

    internal static class WeComPlanText
    {
        /// <summary>The changes, then the kept fields and the note: "Position: a -> b; Mobile: 138 kept by WeCom (wanted 139)".</summary>
        public static string Summary(IEnumerable<WeComFieldChange> changes, IEnumerable<WeComFieldChange> kept, string? note) =>
            string.Join("; ", changes.Select(c => c.ToString())
                .Concat(kept.Select(k => $"{k.Field}: {k.Old} kept by WeCom (wanted {k.New})"))
                .Concat(note is null ? new string[0] : new[] { note }));
    }

    /// <summary>A plan: its items (departments to create first, then members), the rows that could not be planned, and what could not be compared.</summary>
    public sealed class WeComPlan
    {
        public IReadOnlyList<WeComPlanItem> Items { get; internal set; } = new WeComPlanItem[0];
        /// <summary>Rows that cannot be planned, each error naming its row.</summary>
        internal IReadOnlyList<ItemResult<object>> Invalid { get; set; } = new ItemResult<object>[0];
        /// <summary>Fields of the rows that WeCom did not return for some members (withheld from this secret): not compared for them.</summary>
        public IReadOnlyCollection<string> NotCompared { get; internal set; } = new string[0];
        /// <summary>How many members the directory has now.</summary>
        public int Existing { get; internal set; }
        /// <summary>Notes for the reader, such as a create and a delete that may be one department renamed.</summary>
        public IReadOnlyList<string> Notes { get; internal set; } = new string[0];
        /// <summary>Set when the plan deletes more than its deletion limit allows.</summary>
        public WeComException? DeletionRefused { get; internal set; }
        /// <summary>The department tree as it will be once the plan's departments are in place (planned ones with ids below 0).</summary>
        internal IReadOnlyList<WeComDepartment>? Tree { get; set; }

        public int Count(WeComPlanAction action) => Items.Count(i => i.Action == action);
    }

    /// <summary>One applied plan item and its outcome.</summary>
    public sealed class WeComPlanResult
    {
        public WeComPlanAction Action { get; set; }
        public WeComPlanObjectType ObjectType { get; set; }
        public string Target { get; set; } = "";
        public string? Name { get; set; }
        public WeComFieldChanges Changes { get; set; } = new WeComFieldChanges(new WeComFieldChange[0]);
        /// <summary>Fields not sent because WeCom keeps the member's own value: not applied.</summary>
        public WeComFieldChanges Kept { get; set; } = new WeComFieldChanges(new WeComFieldChange[0]);
        public WeComPlanResultStatus Status { get; set; }
        public WeComApplyStrategy Strategy { get; set; }
        /// <summary>The import job that applied it (Import strategy).</summary>
        public string? JobId { get; set; }
        public int? ErrCode { get; set; }
        public string? Message { get; set; }

        public string Summary => WeComPlanText.Summary(Changes, Kept, null);

        public override string ToString() => $"{Status}: {Action} {Target}";
    }
}
