using System.Collections.Generic;
using System.Linq;

namespace WeComPS
{
    /// <summary>
    /// An import worked out against the directory before anything is sent: the rows that go into the file, what each
    /// changes (create, update, delete), the rows that cannot go, and whether WeCom would refuse the deletions (45026).
    /// <see cref="JobOperations.StartAsync"/> sends it; -WhatIf shows it.
    /// </summary>
    public sealed class WeComImportPlan
    {
        internal WeComImportPlan(WeComJobType type, string csv, int rows, int existing, List<WeComPlannedChange> changes, List<ItemResult<object>> invalid, WeComException? deleteProtection)
        {
            Type = type;
            Csv = csv;
            Rows = rows;
            Existing = existing;
            Changes = changes;
            Invalid = invalid;
            DeleteProtection = deleteProtection;
        }

        public WeComJobType Type { get; }
        /// <summary>The file to upload, in WeCom's template (see <see cref="WeComImportTemplate"/>).</summary>
        public string Csv { get; }
        /// <summary>How many rows the file has.</summary>
        public int Rows { get; }
        /// <summary>How many members (or departments) the directory has now.</summary>
        public int Existing { get; }
        /// <summary>One change per row, then the deletions of a replace.</summary>
        public IReadOnlyList<WeComPlannedChange> Changes { get; }
        /// <summary>Input that cannot go into the file, each failure naming its item. A replace with any of these is refused.</summary>
        internal IReadOnlyList<ItemResult<object>> Invalid { get; }
        /// <summary>Set when WeCom would refuse the replace for deleting too many members (its errcode 45026).</summary>
        public WeComException? DeleteProtection { get; }

        /// <summary>How many changes are of <paramref name="action"/> (a flag; updates of departments count as Rename, Move or Reorder).</summary>
        public int Count(WeComJobAction action) => Changes.Count(c => (c.Action & action) != 0);

        /// <summary>"create 2, update 250, delete 3".</summary>
        public string Summary() =>
            Msg.Get("ImportSummary", Count(WeComJobAction.Create), Count(WeComJobAction.Update | WeComJobAction.Rename | WeComJobAction.Move | WeComJobAction.Reorder), Count(WeComJobAction.Delete));

        /// <summary>As text, e.g. in a CSV cell: "SyncUser of 3 rows: create 2, update 1, delete 0".</summary>
        public override string ToString() => Msg.Get("ImportPlanText", Type, Rows, Summary());

        /// <summary>
        /// Why the plan cannot be started, or null: a replace whose input had invalid items (leaving them out would
        /// delete those members or departments), or nothing valid to import.
        /// </summary>
        public WeComException? CheckStartable() =>
            Type != WeComJobType.SyncUser && Invalid.Count > 0
                ? WeComException.InvalidInput("ImportInputInvalid", Msg.Get("ImportInputInvalid", Invalid.Count))
                : Rows == 0 ? WeComException.InvalidInput("ImportInputEmpty", Msg.Get("ImportInputEmpty"))
                : null;

        /// <summary>The planned change (not a deletion) of a job's row, by userid or department id.</summary>
        internal WeComPlannedChange? Find(WeComJobResult row)
        {
            _byItem ??= Changes.Where(c => c.Action != WeComJobAction.Delete)
                .GroupBy(c => Key(c.UserId, c.DepartmentId), System.StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First(), System.StringComparer.OrdinalIgnoreCase);
            return _byItem.TryGetValue(Key(row.UserId, row.DepartmentId), out var change) ? change : null;
        }

        private Dictionary<string, WeComPlannedChange>? _byItem;

        private static string Key(string? userId, int? departmentId) =>
            userId != null ? "u:" + userId : "d:" + departmentId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
