using System.Collections.Generic;

namespace WeComPS
{
    /// <summary>What each WeCom errcode means, its stable error id and what an admin can do about it.</summary>
    internal static class WeComErrorCatalog
    {
        public sealed class Entry
        {
            internal Entry(string errorId, WeComErrorKind kind, (string En, string Zh) meaning, (string En, string Zh)? advice, bool transient)
            {
                ErrorId = errorId;
                Kind = kind;
                Meanings = meaning;
                Advices = advice;
                Transient = transient;
            }

            public string ErrorId { get; }
            public WeComErrorKind Kind { get; }
            /// <summary>What the errcode means, in the admin's language.</summary>
            public string Meaning => Msg.Pick(Meanings.En, Meanings.Zh)!;
            /// <summary>What an admin can do about it, in the admin's language.</summary>
            public string? Advice => Advices is { } advice ? Msg.Pick(advice.En, advice.Zh) : null;
            internal (string En, string Zh) Meanings { get; }
            internal (string En, string Zh)? Advices { get; }
            /// <summary>Retried with backoff by the client.</summary>
            public bool Transient { get; }
        }

        private static readonly (string En, string Zh) SyncSecretAdvice = (
            "Writes, batch jobs and user/list_id need the contacts-sync secret (管理工具 > 通讯录同步 > API编辑通讯录); an app secret can only read its visible scope (可见范围).",
            "修改通讯录、批量任务和 user/list_id 需要通讯录同步的 Secret（管理工具 > 通讯录同步 > API编辑通讯录）；应用的 Secret 只能读取其可见范围。");

        /// <summary>What to do about 48009: WeCom's own advice, a self-built app that sees the whole corp.</summary>
        internal static readonly (string En, string Zh) DetailsAdvice = (
            "From an IP added to 通讯录同步 after 2022-08-15 (every new server) the contacts-sync secret still changes the directory, runs imports and reads ids (department/simplelist, user/list_id), " +
            "but names, details and the exports of members and departments need an app secret: create a self-built app (应用管理 > 自建), set its visible scope (可见范围) to the whole corp, " +
            "add this machine's public IP to its 企业可信IP, then connect with both: Connect-WeCom -CorpId <corp id> -Secret <contacts-sync secret> -AppSecret <app secret>.",
            "从 2022-08-15 之后加入通讯录同步的 IP（每台新服务器都是）调用时，通讯录同步的 Secret 仍可修改通讯录、执行导入、读取 ID（department/simplelist、user/list_id），" +
            "但成员和部门的名称、详情及导出需要应用的 Secret：创建一个自建应用（应用管理 > 自建），把可见范围设为全公司，" +
            "把本机的公网 IP 加入该应用的企业可信IP，然后同时用两个 Secret 连接：Connect-WeCom -CorpId <企业ID> -Secret <通讯录同步 Secret> -AppSecret <应用 Secret>。");
        private static readonly (string En, string Zh) UserIdAdvice = (
            "The userid is the account (帐号) on the member's page in the admin console, not the name; Get-WeComUser -Name finds a member's userid by name.",
            "userid 是管理后台成员详情页上的帐号，不是姓名；Get-WeComUser -Name 可按姓名查到成员的 userid。");
        private static readonly (string En, string Zh) DepartmentListAdvice = (
            "Get-WeComDepartment lists the departments this secret can see, with their ids and paths.",
            "Get-WeComDepartment 列出此 Secret 可见的部门及其 ID 和路径。");
        private static readonly (string En, string Zh) TokenAgainAdvice = (
            "The token was refused again after new ones were fetched; run Connect-WeCom again.",
            "重新获取 access_token 后仍被拒绝；请重新运行 Connect-WeCom。");
        private static readonly Dictionary<int, Entry> Entries = new Dictionary<int, Entry>();

        static WeComErrorCatalog()
        {
            Add(-1, "WeComBusy", WeComErrorKind.Busy, ("system busy", "系统繁忙"), ("WeCom asked to retry later.", "企业微信要求稍后重试。"), transient: true);
            Add(6000, "DataVersionConflict", WeComErrorKind.Busy, ("data version conflict: another change to the same data is in progress", "数据版本冲突：同一数据正在被另一个修改操作处理"), ("Retry later.", "请稍后重试。"), transient: true);
            Add(40001, "InvalidSecret", WeComErrorKind.Authentication, ("invalid secret", "Secret 无效"), ("Check the secret: copy it again from the admin console (a reset secret invalidates the old one).", "请检查 Secret：从管理后台重新复制（重置 Secret 后旧的即失效）。"));
            Add(40003, "InvalidUserId", WeComErrorKind.InvalidArgument, ("invalid userid", "userid 无效"), ("Check the userid; it is the account shown on the member's page in the admin console.", "请检查 userid：即管理后台成员详情页上显示的帐号。"));
            Add(40013, "InvalidCorpId", WeComErrorKind.Authentication, ("invalid corpid", "企业ID（corpid）无效"), ("Check the corp id (我的企业 > 企业信息 > 企业ID).", "请检查企业ID（我的企业 > 企业信息 > 企业ID）。"));
            Add(40014, "InvalidAccessToken", WeComErrorKind.Authentication, ("invalid access_token", "access_token 无效"), TokenAgainAdvice);
            Add(40031, "InvalidUserList", WeComErrorKind.InvalidArgument, ("invalid userid list", "userid 列表无效"), ("None of the userids is valid for this call.", "这些 userid 对本次调用都无效。"));
            Add(40056, "InvalidAgentId", WeComErrorKind.InvalidArgument, ("invalid agentid", "agentid 无效"), null);
            Add(40058, "InvalidParameter", WeComErrorKind.InvalidArgument, ("invalid parameter", "参数无效"), ("A parameter is missing or out of range; the hint names it.", "缺少参数或参数超出范围；hint 中给出了是哪个参数。"));
            Add(40066, "InvalidDepartmentList", WeComErrorKind.InvalidArgument, ("invalid department list", "部门列表无效"), ("Check the department ids.", "请检查部门ID。"));
            Add(40068, "InvalidTagId", WeComErrorKind.NotFound, ("invalid tagid", "标签ID无效"), ("Get-WeComTag lists the tags with their ids.", "Get-WeComTag 列出各标签及其 ID。"));
            Add(40070, "AllTagTargetsInvalid", WeComErrorKind.InvalidArgument, ("none of the users or departments is valid for the tag", "对该标签而言，所有成员和部门都无效"), ("Check that the users and departments exist and are in this secret's visible scope.", "请检查这些成员和部门是否存在，且在此 Secret 的可见范围内。"));
            Add(40071, "TagNameExists", WeComErrorKind.AlreadyExists, ("tag name already exists", "标签名称已存在"), ("Choose another tag name or use the existing tag.", "请换一个标签名称，或使用已有的标签。"));
            Add(40072, "InvalidTagName", WeComErrorKind.InvalidArgument, ("invalid tag name length", "标签名称长度无效"), ("Tag names are 1 to 32 characters.", "标签名称为 1 到 32 个字符。"));
            Add(40004, "InvalidMediaType", WeComErrorKind.InvalidArgument, ("invalid media type", "媒体文件类型无效"), null);
            Add(40006, "InvalidFileSize", WeComErrorKind.InvalidArgument, ("invalid file size", "文件大小无效"), ("An import file is at most 20 MB: split the input into several imports.", "导入文件最大 20 MB：请把输入拆分成几次导入。"));
            Add(40007, "InvalidMediaId", WeComErrorKind.InvalidArgument, ("invalid media_id", "media_id 无效"), ("An uploaded file is kept 3 days; upload it again.", "上传的文件只保留 3 天；请重新上传。"));
            Add(40088, "JobNotFound", WeComErrorKind.NotFound, ("jobid does not exist", "jobid 不存在"), ("Check the job id: it is the JobId that Sync-WeComUser -NoWait or Sync-WeComDepartment -NoWait returned.", "请检查任务ID：即 Sync-WeComUser -NoWait 或 Sync-WeComDepartment -NoWait 返回的 JobId。"));
            Add(40089, "JobResultPurged", WeComErrorKind.NotFound, ("job result no longer kept", "任务结果已不再保留"), ("WeCom keeps only the last 5 job results; the job itself ran. Check the directory with Get-WeComUser or Get-WeComDepartment.", "企业微信只保留最近 5 个任务的结果；任务本身已执行。请用 Get-WeComUser 或 Get-WeComDepartment 查看通讯录。"));
            Add(40091, "SecretOfAnotherCorp", WeComErrorKind.Authentication, ("the secret belongs to another corp", "该 Secret 属于另一个企业"), ("Use a secret of the corp named by -CorpId.", "请使用 -CorpId 所指企业的 Secret。"));
            Add(40092, "InvalidImportFile", WeComErrorKind.InvalidArgument, ("invalid import file", "导入文件无效"), ("WeCom could not read the file: it must be UTF-8 CSV in WeCom's template with the 帐号 column (members) or 部门名称, 部门ID, 父部门ID (departments), and at least one row.", "企业微信无法读取该文件：须为企业微信模板格式的 UTF-8 CSV，含“帐号”列（成员）或“部门名称、部门ID、父部门ID”列（部门），且至少一行。"));
            Add(41001, "AccessTokenMissing", WeComErrorKind.Authentication, ("access_token missing", "缺少 access_token"), null);
            Add(41004, "SecretMissing", WeComErrorKind.Authentication, ("secret missing", "缺少 Secret"), ("Pass a secret to Connect-WeCom.", "请向 Connect-WeCom 提供 Secret。"));
            Add(42001, "AccessTokenExpired", WeComErrorKind.Authentication, ("access_token expired", "access_token 已过期"), TokenAgainAdvice);
            Add(43004, "UserNotBoundToWeChat", WeComErrorKind.InvalidArgument, ("the member has not bound WeChat", "该成员未绑定微信"), null);
            Add(45009, "RateLimited", WeComErrorKind.LimitExceeded, ("API frequency limit reached", "接口调用超过频率限制"), ("WeCom blocks the API for 60 s (per-minute limit) or 60 min (per-hour limit): run the command after the block, or let it wait longer (the connection's Retry.MaxBlockWait).", "企业微信会封禁该接口 60 秒（每分钟限制）或 60 分钟（每小时限制）：请在封禁结束后再运行命令，或让它等待更久（连接的 Retry.MaxBlockWait）。"));
            Add(45024, "AccountLimitReached", WeComErrorKind.LimitExceeded, ("member account cap reached", "成员帐号数已达上限"), ("Buy more seats or remove members who have left.", "请购买更多帐号，或删除已离职的成员。"));
            Add(45026, "ReplaceDeleteProtection", WeComErrorKind.LimitExceeded, ("replace would delete too many members", "全量覆盖会删除过多成员"), ("WeCom refuses a replace that deletes more than 50 members and over 20% of them, or up to 50 but over 80%: nothing was changed. Check that the input is complete (run with -WhatIf to see who would go), or delete in smaller steps with Remove-WeComUser.", "企业微信拒绝删除超过 50 人且超过 20%、或不超过 50 人但超过 80% 的全量覆盖：未做任何修改。请检查输入是否完整（用 -WhatIf 查看会删除谁），或用 Remove-WeComUser 分批删除。"));
            Add(45033, "ConcurrencyLimited", WeComErrorKind.LimitExceeded, ("too many concurrent calls", "并发调用过多"), ("Lower -MaxConcurrency.", "请调低 -MaxConcurrency。"), transient: true);
            Add(46004, "UserNotFound", WeComErrorKind.NotFound, ("user does not exist", "成员不存在"), UserIdAdvice);
            Add(48002, "ApiNotPermitted", WeComErrorKind.PermissionDenied, ("this secret may not call the API", "此 Secret 无权调用该接口"), SyncSecretAdvice);
            Add(48009, "DetailsForbiddenForSyncSecret", WeComErrorKind.PermissionDenied,
                ("the contacts-sync secret may not read names and details from this IP (added to 通讯录同步 after 2022-08-15)", "通讯录同步的 Secret 不能从此 IP 读取名称和详情（该 IP 于 2022-08-15 之后加入通讯录同步）"),
                DetailsAdvice);
            Add(50002, "OutOfVisibleScope", WeComErrorKind.PermissionDenied, ("the member is outside the app's visible scope", "该成员不在应用的可见范围内"), ("Widen the app's visible scope (可见范围) or use the contacts-sync secret.", "请扩大应用的可见范围，或使用通讯录同步的 Secret。"));
            Add(60001, "InvalidDepartmentNameLength", WeComErrorKind.InvalidArgument, ("department name length", "部门名称长度无效"), ("Department names are 1 to 64 characters.", "部门名称为 1 到 64 个字符。"));
            Add(60003, "DepartmentNotFound", WeComErrorKind.NotFound, ("department not found", "部门不存在"), DepartmentListAdvice);
            Add(60004, "ParentDepartmentNotFound", WeComErrorKind.NotFound, ("parent department not found", "上级部门不存在"), DepartmentListAdvice);
            Add(60005, "DepartmentHasMembers", WeComErrorKind.InvalidArgument, ("department still has members", "部门下还有成员"), ("Move or remove its members first; Get-WeComUser -DepartmentId with its id lists them.", "请先移走或删除其成员；Get-WeComUser -DepartmentId 加该部门ID可列出他们。"));
            Add(60006, "DepartmentHasChildren", WeComErrorKind.InvalidArgument, ("department still has sub-departments", "部门下还有子部门"), ("Remove or move its sub-departments first.", "请先删除或移走其子部门。"));
            Add(60007, "RootDepartment", WeComErrorKind.InvalidArgument, ("the root department cannot be changed this way", "根部门不能这样修改"), null);
            Add(60008, "DepartmentExists", WeComErrorKind.AlreadyExists, ("department id or name already exists", "部门ID或名称已存在"), ("Sibling departments need distinct names.", "同一上级下的部门名称不能重复。"));
            Add(60009, "InvalidDepartmentName", WeComErrorKind.InvalidArgument, ("department name has illegal characters", "部门名称含有非法字符"), ("Remove \\ : * ? \" < > | from the name.", "请去掉名称中的 \\ : * ? \" < > |。"));
            Add(60010, "DepartmentCycle", WeComErrorKind.InvalidArgument, ("the move would create a cycle", "此移动会造成循环"), ("A department cannot move below itself.", "部门不能移到自己下面。"));
            Add(60011, "NoPrivilege", WeComErrorKind.PermissionDenied, ("no privilege for this member, department or API", "无权操作该成员、部门或接口"), SyncSecretAdvice);
            Add(60020, "CallerIpNotTrusted", WeComErrorKind.PermissionDenied, ("the caller's IP is not trusted", "调用方 IP 不在企业可信IP中"),
                ("Add this machine's public IP (the 'from ip' above) to the app's 企业可信IP (trusted IPs) in the admin console; apps created since 2022-06-20 must list every calling IP.",
                 "请在管理后台把本机的公网 IP（上面的 from ip）加入应用的企业可信IP；2022-06-20 以后创建的应用必须列出每个调用 IP。"));
            Add(60102, "UserIdExists", WeComErrorKind.AlreadyExists, ("userid already exists", "userid 已存在"), null);
            Add(60103, "InvalidMobile", WeComErrorKind.InvalidArgument, ("invalid mobile number", "手机号无效"), null);
            Add(60104, "MobileExists", WeComErrorKind.AlreadyExists, ("mobile number already used by another member", "手机号已被其他成员使用"), null);
            Add(60105, "InvalidEmail", WeComErrorKind.InvalidArgument, ("invalid email", "邮箱无效"), null);
            Add(60106, "EmailExists", WeComErrorKind.AlreadyExists, ("email already used by another member", "邮箱已被其他成员使用"), null);
            Add(60110, "TooManyDepartments", WeComErrorKind.LimitExceeded, ("too many departments for the member", "成员所属部门过多"), ("A member can be in at most 100 departments.", "一个成员最多属于 100 个部门。"));
            Add(60111, "UserNotFound", WeComErrorKind.NotFound, ("userid not found", "userid 不存在"), UserIdAdvice);
            Add(60112, "InvalidUserName", WeComErrorKind.InvalidArgument, ("invalid member name", "成员姓名无效"), ("Names are 1 to 64 characters.", "姓名为 1 到 64 个字符。"));
            Add(60123, "InvalidDepartmentId", WeComErrorKind.InvalidArgument, ("invalid department id", "部门ID无效"), null);
            Add(60124, "InvalidParentDepartment", WeComErrorKind.InvalidArgument, ("invalid parent department", "上级部门无效"), null);
            Add(60125, "InvalidDepartmentName", WeComErrorKind.InvalidArgument, ("invalid department name", "部门名称无效"), null);
            Add(60129, "MobileAndEmailMissing", WeComErrorKind.InvalidArgument, ("mobile and email are both empty", "手机号和邮箱都为空"), ("Give each member a mobile number or an email.", "请为每个成员提供手机号或邮箱。"));
            Add(60132, "LeaderFlagsMismatch", WeComErrorKind.InvalidArgument, ("is_leader_in_dept has not one flag per department", "is_leader_in_dept 的个数与部门个数不一致"), ("Give one leader flag (1 or 0) per department, in the order of the departments.", "请按部门顺序为每个部门给一个部门负责人标记（1 或 0）。"));
            Add(81001, "TooManyNodes", WeComErrorKind.LimitExceeded, ("over 30,000 nodes", "超过 30,000 个节点"), null);
            Add(81003, "TagTooLarge", WeComErrorKind.LimitExceeded, ("a tag holds at most 30,000 users and departments together", "一个标签下的成员和部门合计最多 30,000 个"), ("Split the members over several tags, or tag departments instead of their members.", "请把成员分到几个标签中，或给部门而不是其成员打标签。"));
            Add(81002, "TooManyLevels", WeComErrorKind.LimitExceeded, ("over 15 department levels", "部门层级超过 15 级"), null);
            Add(81011, "NoTagPermission", WeComErrorKind.PermissionDenied, ("no permission on the tag", "无权操作该标签"),
                ("A tag belongs to the app that created it; use that app's secret.", "标签属于创建它的应用；请使用该应用的 Secret。"));
            Add(81013, "AllIdsInvalid", WeComErrorKind.InvalidArgument, ("all ids are invalid", "所有 ID 都无效"), null);
            Add(81014, "TooManyTagTargets", WeComErrorKind.LimitExceeded, ("too many users or departments in one tag call", "单次标签调用中的成员或部门过多"), null);
        }

        private static void Add(int code, string errorId, WeComErrorKind kind, (string En, string Zh) meaning, (string En, string Zh)? advice, bool transient = false) =>
            Entries[code] = new Entry(errorId, kind, meaning, advice, transient);

        /// <summary>Every errcode with its meaning and advice in English and Chinese (for tests).</summary>
        internal static IEnumerable<(int Code, (string En, string Zh) Meaning, (string En, string Zh)? Advice)> All()
        {
            foreach (var pair in Entries)
            {
                yield return (pair.Key, pair.Value.Meanings, pair.Value.Advices);
            }
        }

        /// <summary>The entry for <paramref name="errCode"/>; unknown codes get a generic entry.</summary>
        public static Entry Describe(int errCode) =>
            Entries.TryGetValue(errCode, out var entry)
                ? entry
                : new Entry("WeComApiError", WeComErrorKind.Unspecified, (Msg.Get("UnknownErrCode", errCode), Msg.Get("UnknownErrCode", errCode)), null, false);

        /// <summary>
        /// True for the codes no other item of the same command can escape: the corp or secret is wrong, the secret may
        /// not call the API or read details from this IP, the caller's IP is not trusted.
        /// </summary>
        internal static bool AffectsAllItems(int errCode) =>
            errCode == 40013 || errCode == 40091 || errCode == 41001 || errCode == 41004 || errCode == 48002 || errCode == 48009 || errCode == 60020;

        /// <summary>True for the codes that the client refreshes the token on, once.</summary>
        internal static bool IsTokenRejected(int errCode) => errCode == 40014 || errCode == 42001 || errCode == 40001;
    }
}
