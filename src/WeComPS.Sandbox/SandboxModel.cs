using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace WeComPS.Sandbox
{
    /// <summary>A secret of the sandbox corp and what it may do.</summary>
    public sealed class SandboxApp
    {
        public SandboxApp(string name, string secret)
        {
            Name = name;
            Secret = secret;
        }

        public string Name { get; }
        public string Secret { get; }
        /// <summary>The contacts-sync secret (通讯录同步): may write, batch-delete and call user/list_id.</summary>
        public bool IsContactsSync { get; set; }
        /// <summary>Created after 2022-06-20: user/get and user/list leave out avatar, gender, mobile, email, biz_mail, qr_code, address.</summary>
        public bool WithholdsSensitiveFields { get; set; }
        /// <summary>
        /// A contacts-sync secret called from an IP added to the tool after 2022-08-15: the detail reads (user/get,
        /// user/list, user/simplelist, department/list, department/get and the exports but taguser) answer 48009.
        /// </summary>
        public bool CallsFromNewIp { get; set; }
        /// <summary>The departments whose subtrees the app can see (可见范围); null for the whole corp.</summary>
        public IReadOnlyList<int>? VisibleDepartments { get; set; }
    }

    /// <summary>A department as the sandbox stores it.</summary>
    public sealed class SandboxDepartment
    {
        public int Id { get; set; }
        public string Name { get; set; } = "";
        public string? NameEn { get; set; }
        public int ParentId { get; set; }
        public long Order { get; set; }
        public List<string> Leaders { get; set; } = new List<string>();
    }

    /// <summary>A member as the sandbox stores it.</summary>
    public sealed class SandboxUser
    {
        public string UserId { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Alias { get; set; }
        public string? Position { get; set; }
        public List<int> Department { get; set; } = new List<int>();
        public List<long> Order { get; set; } = new List<long>();
        public List<int> IsLeaderInDept { get; set; } = new List<int>();
        public List<string> DirectLeader { get; set; } = new List<string>();
        public int? MainDepartment { get; set; }
        public string? Mobile { get; set; }
        public string? Email { get; set; }
        public string? BizMail { get; set; }
        public string? Telephone { get; set; }
        public int Gender { get; set; }
        public int Status { get; set; } = 1;
        public string? Address { get; set; }
        public string? Avatar { get; set; }
        public Dictionary<string, string> TextAttributes { get; set; } = new Dictionary<string, string>();

        /// <summary>A deep copy: a write is applied to it and checked in full before it replaces the stored member.</summary>
        internal SandboxUser Copy()
        {
            var copy = (SandboxUser)MemberwiseClone();
            copy.Department = new List<int>(Department);
            copy.Order = new List<long>(Order);
            copy.IsLeaderInDept = new List<int>(IsLeaderInDept);
            copy.DirectLeader = new List<string>(DirectLeader);
            copy.TextAttributes = new Dictionary<string, string>(TextAttributes);
            return copy;
        }
    }

    /// <summary>A tag as the sandbox stores it.</summary>
    public sealed class SandboxTag
    {
        public int Id { get; set; }
        public string Name { get; set; } = "";
        /// <summary>The secret of the app that created the tag: only it may change the tag.</summary>
        public string OwnerSecret { get; set; } = "";
        public List<string> Users { get; set; } = new List<string>();
        public List<int> Departments { get; set; } = new List<int>();
    }

    /// <summary>
    /// A failure the sandbox injects into one call. Most answer instead of serving the call, so nothing is changed;
    /// the "after apply" kinds serve the call first (a write is applied) and then lose the answer, as a timeout or a
    /// dropped connection after WeCom did the work does. Slow and hung calls answer late or never.
    /// </summary>
    public sealed class SandboxFault
    {
        private SandboxFault(string name, int errCode = 0, int httpStatus = 200, bool reset = false, bool malformed = false, TimeSpan delay = default, bool afterApply = false)
        {
            Name = name;
            ErrCode = errCode;
            HttpStatus = httpStatus;
            Reset = reset;
            Malformed = malformed;
            Delay = delay;
            AfterApply = afterApply;
        }

        /// <summary>A short description, e.g. "errcode 45009" or "reset after apply".</summary>
        public string Name { get; }
        /// <summary>The errcode answered with HTTP 200; 0 for the other kinds.</summary>
        public int ErrCode { get; }
        /// <summary>The HTTP status answered; 200 unless the fault is an HTTP error.</summary>
        public int HttpStatus { get; }
        /// <summary>The connection is dropped instead of answering.</summary>
        public bool Reset { get; }
        /// <summary>The answer is truncated JSON.</summary>
        public bool Malformed { get; }
        /// <summary>How long the call waits before it is served (or, after apply, before it answers); infinite for a hung call.</summary>
        public TimeSpan Delay { get; }
        /// <summary>The call is served, and a write applied, before the answer is lost.</summary>
        public bool AfterApply { get; }

        /// <summary>True when the fault replaces the answer (an errcode, an HTTP error, a reset, a malformed body).</summary>
        public bool ReplacesAnswer => ErrCode != 0 || HttpStatus != 200 || Reset || Malformed;

        /// <summary>True when the call never answers: the client has to give up.</summary>
        public bool Hangs => Delay == Timeout.InfiniteTimeSpan;

        /// <summary>HTTP 200 with this errcode (-1, 45009, 45033, 6000, 40014, 42001, ...); nothing is applied.</summary>
        public static SandboxFault Error(int errCode) => new SandboxFault("errcode " + errCode.ToString(CultureInfo.InvariantCulture), errCode: errCode);

        /// <summary>An HTTP error status such as 502 or 503, before or after the call is applied.</summary>
        public static SandboxFault Http(int status, bool afterApply = false) =>
            new SandboxFault("HTTP " + status.ToString(CultureInfo.InvariantCulture) + Suffix(afterApply), httpStatus: status, afterApply: afterApply);

        /// <summary>The connection is dropped without an answer, before or after the call is applied.</summary>
        public static SandboxFault ConnectionReset(bool afterApply = false) => new SandboxFault("reset" + Suffix(afterApply), reset: true, afterApply: afterApply);

        /// <summary>HTTP 200 with a body that is not JSON (a truncated answer), before or after the call is applied.</summary>
        public static SandboxFault MalformedJson(bool afterApply = false) => new SandboxFault("malformed JSON" + Suffix(afterApply), malformed: true, afterApply: afterApply);

        /// <summary>The call is served normally, but only after <paramref name="delay"/>.</summary>
        public static SandboxFault Slow(TimeSpan delay) => new SandboxFault("slow", delay: delay);

        /// <summary>The call never answers, before or after it is applied; the client has to time out.</summary>
        public static SandboxFault Hung(bool afterApply = false) => new SandboxFault("hung" + Suffix(afterApply), delay: Timeout.InfiniteTimeSpan, afterApply: afterApply);

        /// <summary>
        /// A fault from text, as the sandbox server's options and debug endpoint take it: <c>errcode:45009</c>,
        /// <c>http:502</c>, <c>reset</c>, <c>malformed</c>, <c>hung</c> (each of these three and http with
        /// <c>-after-apply</c>, e.g. <c>reset-after-apply</c>, <c>http-after-apply:502</c>) or <c>slow:300</c> (ms).
        /// </summary>
        public static SandboxFault Parse(string text)
        {
            var parts = text.Trim().Split(new[] { ':' }, 2);
            var kind = parts[0].ToLowerInvariant();
            var afterApply = kind.EndsWith("-after-apply", StringComparison.Ordinal);
            kind = afterApply ? kind.Substring(0, kind.Length - "-after-apply".Length) : kind;
            int Number() => parts.Length == 2 && int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new FormatException($"The fault '{text}' needs a number after ':'.");
            return (kind, afterApply) switch
            {
                ("errcode", false) => Error(Number()),
                ("http", _) => Http(Number(), afterApply),
                ("reset", _) => ConnectionReset(afterApply),
                ("malformed", _) => MalformedJson(afterApply),
                ("hung", _) => Hung(afterApply),
                ("slow", false) => Slow(TimeSpan.FromMilliseconds(Number())),
                _ => throw new FormatException($"Unknown fault '{text}': use errcode:N, http:N, reset, malformed, hung (these with -after-apply) or slow:MS."),
            };
        }

        public override string ToString() => Name;

        private static string Suffix(bool afterApply) => afterApply ? " after apply" : "";
    }

    /// <summary>The sandbox's answer to one call.</summary>
    public sealed class SandboxResponse
    {
        public SandboxResponse(int statusCode, string body, bool reset = false)
        {
            StatusCode = statusCode;
            Body = body;
            Reset = reset;
        }

        /// <summary>A binary answer, e.g. an export file.</summary>
        public SandboxResponse(int statusCode, byte[] content, string contentType)
            : this(statusCode, "")
        {
            Content = content;
            ContentType = contentType;
        }

        public int StatusCode { get; }
        /// <summary>The JSON (or text) answer; empty for a binary one.</summary>
        public string Body { get; }
        /// <summary>The bytes of a binary answer; null for JSON.</summary>
        public byte[]? Content { get; }
        public string ContentType { get; } = "application/json; charset=utf-8";
        /// <summary>Drop the connection instead of answering.</summary>
        public bool Reset { get; }
    }
}
