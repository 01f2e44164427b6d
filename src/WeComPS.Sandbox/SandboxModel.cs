using System.Collections.Generic;

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

    /// <summary>A failure the sandbox answers with instead of serving a call.</summary>
    public sealed class SandboxFault
    {
        private SandboxFault(int errCode, int httpStatus, bool reset, bool malformed)
        {
            ErrCode = errCode;
            HttpStatus = httpStatus;
            Reset = reset;
            Malformed = malformed;
        }

        public int ErrCode { get; }
        public int HttpStatus { get; }
        public bool Reset { get; }
        public bool Malformed { get; }

        /// <summary>HTTP 200 with this errcode (-1, 45009, 45033, 6000, 40014, ...).</summary>
        public static SandboxFault Error(int errCode) => new SandboxFault(errCode, 200, false, false);

        /// <summary>An HTTP error status such as 502 or 503.</summary>
        public static SandboxFault Http(int status) => new SandboxFault(0, status, false, false);

        /// <summary>The connection is dropped without an answer.</summary>
        public static SandboxFault ConnectionReset() => new SandboxFault(0, 200, true, false);

        /// <summary>HTTP 200 with a body that is not JSON.</summary>
        public static SandboxFault MalformedJson() => new SandboxFault(0, 200, false, true);

        public override string ToString() => Reset ? "reset" : Malformed ? "malformed JSON" : HttpStatus != 200 ? "HTTP " + HttpStatus : "errcode " + ErrCode;
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
