using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WeComPS
{
    /// <summary>Which async import a job runs (WeCom's <c>type</c> in batch/getresult).</summary>
    public enum WeComJobType
    {
        /// <summary>batch/syncuser (sync_user): members in the file are added or updated; the others are untouched.</summary>
        SyncUser,
        /// <summary>batch/replaceuser (replace_user): the file becomes the member list; members not in it are deleted.</summary>
        ReplaceUser,
        /// <summary>batch/replaceparty (replace_party): the file becomes the department tree.</summary>
        ReplaceParty,
    }

    /// <summary>Where an import job is (WeCom's <c>status</c>: 1, 2, 3).</summary>
    public enum WeComJobStatus
    {
        Unknown = 0,
        Started = 1,
        Running = 2,
        Finished = 3,
    }

    /// <summary>
    /// What an import did, or would do, to one member or department. The department flags are WeCom's own
    /// (replace_party's <c>action</c>: 1 create, 2 rename, 4 move, 8 reorder); Update and Delete are worked out by
    /// WeComPS from the directory before and after the job, since WeCom reports neither.
    /// </summary>
    [Flags]
    public enum WeComJobAction
    {
        None = 0,
        Create = 1,
        Rename = 2,
        Move = 4,
        Reorder = 8,
        Update = 16,
        Delete = 32,
    }

    /// <summary>How one row of an import ended.</summary>
    public enum WeComJobResultStatus
    {
        Succeeded,
        Failed,
        /// <summary>
        /// A department left out of a replace that WeCom keeps for now because it still has members or
        /// sub-departments; WeCom deletes it once it is empty (e.g. after the member import moves its members out).
        /// </summary>
        Deferred,
    }

    /// <summary>An async import job (batch/syncuser, batch/replaceuser, batch/replaceparty) as batch/getresult reports it.</summary>
    public sealed class WeComJob
    {
        public string JobId { get; set; } = "";
        public WeComJobType Type { get; set; }
        public WeComJobStatus Status { get; set; }
        /// <summary>How far the job is, 0 to 100.</summary>
        public int Percentage { get; set; }
        /// <summary>The rows the job runs.</summary>
        public int Total { get; set; }
        /// <summary>One result per row once the job has finished; empty before.</summary>
        public WeComJobResults Results { get; set; } = new WeComJobResults(Array.Empty<WeComJobResult>());
        /// <summary>The plan the job was started from, when this process started it: lets the results name created, updated and deleted items.</summary>
        public WeComImportPlan? Plan { get; set; }

        public override string ToString() => JobId;
    }

    /// <summary>
    /// The results of a job's rows: a list, and as text a count ("2 succeeded, 1 failed"), so Export-Csv of a job
    /// writes a readable cell.
    /// </summary>
    public sealed class WeComJobResults : System.Collections.ObjectModel.ReadOnlyCollection<WeComJobResult>
    {
        public WeComJobResults(IEnumerable<WeComJobResult> results)
            : base(results.ToList())
        {
        }

        public override string ToString() =>
            Msg.Get("JobResultsText", this.Count(r => r.Status == WeComJobResultStatus.Succeeded), this.Count(r => r.Status != WeComJobResultStatus.Succeeded));
    }

    /// <summary>The outcome of one row of an import: a member (UserId) or a department (DepartmentId).</summary>
    public sealed class WeComJobResult
    {
        public string JobId { get; set; } = "";
        public WeComJobType Type { get; set; }
        /// <summary>The member's userid, for member imports.</summary>
        public string? UserId { get; set; }
        /// <summary>The department's id, for department imports.</summary>
        public int? DepartmentId { get; set; }
        /// <summary>The member's or department's name when WeComPS knows it (from the input or the directory).</summary>
        public string? Name { get; set; }
        public WeComJobAction Action { get; set; }
        public WeComJobResultStatus Status { get; set; }
        /// <summary>WeCom's errcode for the row (0 = success); null when WeComPS found the outcome itself.</summary>
        public int? ErrCode { get; set; }
        public string? Message { get; set; }

        /// <summary>The member or department the row is about.</summary>
        public object Target => (object?)UserId ?? DepartmentId ?? 0;

        /// <summary>The row's failure as an exception, with WeCom's meaning and advice for the errcode.</summary>
        public WeComException? ToException()
        {
            if (Status == WeComJobResultStatus.Succeeded)
            {
                return null;
            }

            var what = UserId != null ? Msg.Get("UserLabel", UserId) : Msg.Get("IdLabel", Msg.Get("Department"), DepartmentId?.ToString(CultureInfo.InvariantCulture));
            var apiPath = "batch/getresult";
            return ErrCode is { } code && code != 0
                ? WeComException.FromApi(apiPath, code, Message).About(what)
                : WeComException.Rejected("ImportRowNotApplied", Msg.Get("AboutItem", what, Message), apiPath, Msg.Get("SeeDirectoryNow"));
        }

        public override string ToString() => $"{Target} {Action} {Status}";
    }

    /// <summary>One change an import would make, worked out by comparing the input with the directory.</summary>
    public sealed class WeComPlannedChange
    {
        public WeComJobAction Action { get; set; }
        public string? UserId { get; set; }
        public int? DepartmentId { get; set; }
        public string? Name { get; set; }
        /// <summary>What changes, e.g. "move from 1 to 5", for -WhatIf.</summary>
        public string? Detail { get; set; }

        /// <summary>The member or department, as -WhatIf names it: "LiSi (李四)", "测试部 (10)".</summary>
        public string Describe() =>
            UserId != null
                ? (Name is null ? UserId : $"{UserId} ({Name})")
                : (Name is null ? DepartmentId?.ToString(CultureInfo.InvariantCulture) ?? "" : $"{Name} ({DepartmentId?.ToString(CultureInfo.InvariantCulture)})");

        public override string ToString() => $"{Action} {Describe()}" + (Detail is null ? "" : ": " + Detail);
    }
}
