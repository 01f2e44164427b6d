using System.Collections.Generic;

namespace WeComPS
{
    /// <summary>What each WeCom errcode means, its stable error id and what an admin can do about it.</summary>
    internal static class WeComErrorCatalog
    {
        public sealed class Entry
        {
            internal Entry(string errorId, WeComErrorKind kind, string meaning, string? advice, bool transient)
            {
                ErrorId = errorId;
                Kind = kind;
                Meaning = meaning;
                Advice = advice;
                Transient = transient;
            }

            public string ErrorId { get; }
            public WeComErrorKind Kind { get; }
            public string Meaning { get; }
            public string? Advice { get; }
            /// <summary>Retried with backoff by the client.</summary>
            public bool Transient { get; }
        }

        private const string SyncSecretAdvice =
            "Writes, batch jobs and user/list_id need the contacts-sync secret (管理工具 > 通讯录同步 > API编辑通讯录); an app secret can only read its visible scope (可见范围).";

        /// <summary>What to do about 48009: WeCom's own advice, a self-built app that sees the whole corp.</summary>
        internal const string DetailsAdvice =
            "From an IP added to 通讯录同步 after 2022-08-15 (every new server) the contacts-sync secret still changes the directory, runs imports and reads ids (department/simplelist, user/list_id), " +
            "but names, details and the exports of members and departments need an app secret: create a self-built app (应用管理 > 自建), set its visible scope (可见范围) to the whole corp, " +
            "add this machine's public IP to its 企业可信IP, then connect with both: Connect-WeCom -CorpId <corp id> -Secret <contacts-sync secret> -AppSecret <app secret>.";
        private const string UserIdAdvice =
            "The userid is the account (帐号) on the member's page in the admin console, not the name; Get-WeComUser -Name finds a member's userid by name.";

        private static readonly Dictionary<int, Entry> Entries = new Dictionary<int, Entry>();

        static WeComErrorCatalog()
        {
            Add(-1, "WeComBusy", WeComErrorKind.Busy, "system busy", "WeCom asked to retry later.", transient: true);
            Add(6000, "DataVersionConflict", WeComErrorKind.Busy, "data version conflict: another change to the same data is in progress", "Retry later.", transient: true);
            Add(40001, "InvalidSecret", WeComErrorKind.Authentication, "invalid secret", "Check the secret: copy it again from the admin console (a reset secret invalidates the old one).");
            Add(40003, "InvalidUserId", WeComErrorKind.InvalidArgument, "invalid userid", "Check the userid; it is the account shown on the member's page in the admin console.");
            Add(40013, "InvalidCorpId", WeComErrorKind.Authentication, "invalid corpid", "Check the corp id (我的企业 > 企业信息 > 企业ID).");
            Add(40014, "InvalidAccessToken", WeComErrorKind.Authentication, "invalid access_token", "The token was refused again after new ones were fetched; run Connect-WeCom again.");
            Add(40031, "InvalidUserList", WeComErrorKind.InvalidArgument, "invalid userid list", "None of the userids is valid for this call.");
            Add(40056, "InvalidAgentId", WeComErrorKind.InvalidArgument, "invalid agentid", null);
            Add(40058, "InvalidParameter", WeComErrorKind.InvalidArgument, "invalid parameter", "A parameter is missing or out of range; the hint names it.");
            Add(40066, "InvalidDepartmentList", WeComErrorKind.InvalidArgument, "invalid department list", "Check the department ids.");
            Add(40068, "InvalidTagId", WeComErrorKind.NotFound, "invalid tagid", "Get-WeComTag lists the tags with their ids.");
            Add(40070, "AllTagTargetsInvalid", WeComErrorKind.InvalidArgument, "none of the users or departments is valid for the tag", "Check that the users and departments exist and are in this secret's visible scope.");
            Add(40071, "TagNameExists", WeComErrorKind.AlreadyExists, "tag name already exists", "Choose another tag name or use the existing tag.");
            Add(40072, "InvalidTagName", WeComErrorKind.InvalidArgument, "invalid tag name length", "Tag names are 1 to 32 characters.");
            Add(40004, "InvalidMediaType", WeComErrorKind.InvalidArgument, "invalid media type", null);
            Add(40006, "InvalidFileSize", WeComErrorKind.InvalidArgument, "invalid file size", "An import file is at most 20 MB: split the input into several imports.");
            Add(40007, "InvalidMediaId", WeComErrorKind.InvalidArgument, "invalid media_id", "An uploaded file is kept 3 days; upload it again.");
            Add(40088, "JobNotFound", WeComErrorKind.NotFound, "jobid does not exist", "Check the job id: it is the JobId that Sync-WeComUser -NoWait or Sync-WeComDepartment -NoWait returned.");
            Add(40089, "JobResultPurged", WeComErrorKind.NotFound, "job result no longer kept", "WeCom keeps only the last 5 job results; the job itself ran. Check the directory with Get-WeComUser or Get-WeComDepartment.");
            Add(40091, "SecretOfAnotherCorp", WeComErrorKind.Authentication, "the secret belongs to another corp", "Use a secret of the corp named by -CorpId.");
            Add(40092, "InvalidImportFile", WeComErrorKind.InvalidArgument, "invalid import file", "WeCom could not read the file: it must be UTF-8 CSV in WeCom's template with the 帐号 column (members) or 部门名称, 部门ID, 父部门ID (departments), and at least one row.");
            Add(41001, "AccessTokenMissing", WeComErrorKind.Authentication, "access_token missing", null);
            Add(41004, "SecretMissing", WeComErrorKind.Authentication, "secret missing", "Pass a secret to Connect-WeCom.");
            Add(42001, "AccessTokenExpired", WeComErrorKind.Authentication, "access_token expired", "The token was refused again after new ones were fetched; run Connect-WeCom again.");
            Add(43004, "UserNotBoundToWeChat", WeComErrorKind.InvalidArgument, "the member has not bound WeChat", null);
            Add(45009, "RateLimited", WeComErrorKind.LimitExceeded, "API frequency limit reached", "WeCom blocks the API for 60 s (per-minute limit) or 60 min (per-hour limit): run the command after the block, or let it wait longer (the connection's Retry.MaxBlockWait).");
            Add(45024, "AccountLimitReached", WeComErrorKind.LimitExceeded, "member account cap reached", "Buy more seats or remove members who have left.");
            Add(45026, "ReplaceDeleteProtection", WeComErrorKind.LimitExceeded, "replace would delete too many members", "WeCom refuses a replace that deletes more than 50 members and over 20% of them, or up to 50 but over 80%: nothing was changed. Check that the input is complete (run with -WhatIf to see who would go), or delete in smaller steps with Remove-WeComUser.");
            Add(45033, "ConcurrencyLimited", WeComErrorKind.LimitExceeded, "too many concurrent calls", "Lower -MaxConcurrency.", transient: true);
            Add(46004, "UserNotFound", WeComErrorKind.NotFound, "user does not exist", UserIdAdvice);
            Add(48002, "ApiNotPermitted", WeComErrorKind.PermissionDenied, "this secret may not call the API", SyncSecretAdvice);
            Add(48009, "DetailsForbiddenForSyncSecret", WeComErrorKind.PermissionDenied,
                "the contacts-sync secret may not read names and details from this IP (added to 通讯录同步 after 2022-08-15)",
                DetailsAdvice);
            Add(50002, "OutOfVisibleScope", WeComErrorKind.PermissionDenied, "the member is outside the app's visible scope", "Widen the app's visible scope (可见范围) or use the contacts-sync secret.");
            Add(60001, "InvalidDepartmentNameLength", WeComErrorKind.InvalidArgument, "department name length", "Department names are 1 to 64 characters.");
            Add(60003, "DepartmentNotFound", WeComErrorKind.NotFound, "department not found", "Get-WeComDepartment lists the departments this secret can see, with their ids and paths.");
            Add(60004, "ParentDepartmentNotFound", WeComErrorKind.NotFound, "parent department not found", "Get-WeComDepartment lists the departments this secret can see, with their ids and paths.");
            Add(60005, "DepartmentHasMembers", WeComErrorKind.InvalidArgument, "department still has members", "Move or remove its members first; Get-WeComUser -DepartmentId with its id lists them.");
            Add(60006, "DepartmentHasChildren", WeComErrorKind.InvalidArgument, "department still has sub-departments", "Remove or move its sub-departments first.");
            Add(60007, "RootDepartment", WeComErrorKind.InvalidArgument, "the root department cannot be changed this way", null);
            Add(60008, "DepartmentExists", WeComErrorKind.AlreadyExists, "department id or name already exists", "Sibling departments need distinct names.");
            Add(60009, "InvalidDepartmentName", WeComErrorKind.InvalidArgument, "department name has illegal characters", "Remove \\ : * ? \" < > | from the name.");
            Add(60010, "DepartmentCycle", WeComErrorKind.InvalidArgument, "the move would create a cycle", "A department cannot move below itself.");
            Add(60011, "NoPrivilege", WeComErrorKind.PermissionDenied, "no privilege for this member, department or API", SyncSecretAdvice);
            Add(60020, "CallerIpNotTrusted", WeComErrorKind.PermissionDenied, "the caller's IP is not trusted",
                "Add this machine's public IP (the 'from ip' above) to the app's 企业可信IP (trusted IPs) in the admin console; apps created since 2022-06-20 must list every calling IP.");
            Add(60102, "UserIdExists", WeComErrorKind.AlreadyExists, "userid already exists", null);
            Add(60103, "InvalidMobile", WeComErrorKind.InvalidArgument, "invalid mobile number", null);
            Add(60104, "MobileExists", WeComErrorKind.AlreadyExists, "mobile number already used by another member", null);
            Add(60105, "InvalidEmail", WeComErrorKind.InvalidArgument, "invalid email", null);
            Add(60106, "EmailExists", WeComErrorKind.AlreadyExists, "email already used by another member", null);
            Add(60110, "TooManyDepartments", WeComErrorKind.LimitExceeded, "too many departments for the member", "A member can be in at most 100 departments.");
            Add(60111, "UserNotFound", WeComErrorKind.NotFound, "userid not found", UserIdAdvice);
            Add(60112, "InvalidUserName", WeComErrorKind.InvalidArgument, "invalid member name", "Names are 1 to 64 characters.");
            Add(60123, "InvalidDepartmentId", WeComErrorKind.InvalidArgument, "invalid department id", null);
            Add(60124, "InvalidParentDepartment", WeComErrorKind.InvalidArgument, "invalid parent department", null);
            Add(60125, "InvalidDepartmentName", WeComErrorKind.InvalidArgument, "invalid department name", null);
            Add(60129, "MobileAndEmailMissing", WeComErrorKind.InvalidArgument, "mobile and email are both empty", "Give each member a mobile number or an email.");
            Add(60132, "LeaderFlagsMismatch", WeComErrorKind.InvalidArgument, "is_leader_in_dept has not one flag per department", "Give one leader flag (1 or 0) per department, in the order of the departments.");
            Add(81001, "TooManyNodes", WeComErrorKind.LimitExceeded, "over 30,000 nodes", null);
            Add(81003, "TagTooLarge", WeComErrorKind.LimitExceeded, "a tag holds at most 30,000 users and departments together", "Split the members over several tags, or tag departments instead of their members.");
            Add(81002, "TooManyLevels", WeComErrorKind.LimitExceeded, "over 15 department levels", null);
            Add(81011, "NoTagPermission", WeComErrorKind.PermissionDenied, "no permission on the tag",
                "A tag belongs to the app that created it; use that app's secret.");
            Add(81013, "AllIdsInvalid", WeComErrorKind.InvalidArgument, "all ids are invalid", null);
            Add(81014, "TooManyTagTargets", WeComErrorKind.LimitExceeded, "too many users or departments in one tag call", null);
        }

        private static void Add(int code, string errorId, WeComErrorKind kind, string meaning, string? advice, bool transient = false) =>
            Entries[code] = new Entry(errorId, kind, meaning, advice, transient);

        /// <summary>The entry for <paramref name="errCode"/>; unknown codes get a generic entry.</summary>
        public static Entry Describe(int errCode) =>
            Entries.TryGetValue(errCode, out var entry)
                ? entry
                : new Entry("WeComApiError", WeComErrorKind.Unspecified, "see https://open.work.weixin.qq.com/devtool/query?e=" + errCode, null, false);

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
