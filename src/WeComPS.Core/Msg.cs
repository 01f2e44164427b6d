using System.Collections.Generic;
using System.Globalization;

namespace WeComPS
{
    /// <summary>
    /// The module's messages in English and Simplified Chinese, one entry per message: the admin's UI culture
    /// (<see cref="CultureInfo.CurrentUICulture"/>, zh-CN or zh-Hans) picks the Chinese text, any other the English.
    /// Error ids, errcodes and property names are never translated. Texts are composite formats ({0}, {1}...).
    /// A new message is one entry below: a PascalCase key, the English and the Chinese text with the same placeholders
    /// (a test checks every key the code asks for, and every pair). The culture flows with async work, so messages
    /// made off the pipeline thread speak the same language.
    /// </summary>
    internal static class Msg
    {
        /// <summary>The text of <paramref name="key"/> in the admin's language, formatted with <paramref name="args"/>.</summary>
        public static string Get(string key, params object?[] args)
        {
            var (en, zh) = Table[key];
            var text = Chinese ? zh : en;
            return args.Length == 0 ? text : string.Format(CultureInfo.InvariantCulture, text, args);
        }

        /// <summary>Either text by the admin's language, for the catalogue's pairs.</summary>
        public static string? Pick(string? en, string? zh) => Chinese ? zh : en;

        /// <summary>True when the UI culture is Simplified Chinese (zh-CN, zh-SG, zh-Hans, zh), not Traditional.</summary>
        public static bool Chinese
        {
            get
            {
                for (var c = CultureInfo.CurrentUICulture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
                {
                    switch (c.Name.ToLowerInvariant())
                    {
                        case "zh-cn": case "zh-sg": case "zh-hans": case "zh":
                            return true;
                        case "zh-tw": case "zh-hk": case "zh-mo": case "zh-hant":
                            return false;
                    }
                }

                return false;
            }
        }

        /// <summary>Every key with its English and Chinese text (for tests).</summary>
        internal static IReadOnlyDictionary<string, (string En, string Zh)> All => Table;

        private static readonly Dictionary<string, (string En, string Zh)> Table = new Dictionary<string, (string En, string Zh)>
        {
            // Items named in errors
            ["UserItem"] = ("User '{0}': {1}.", "成员“{0}”：{1}。"),
            ["DepartmentItem"] = ("Department '{0}': {1}.", "部门“{0}”：{1}。"),
            ["DepartmentIdItem"] = ("Department '{0}' (id {1}): {2}.", "部门“{0}”（ID {1}）：{2}。"),
            ["TagItem"] = ("Tag '{0}': {1}.", "标签“{0}”：{1}。"),
            ["LookupItem"] = ("Look-up of '{0}': {1}.", "查找“{0}”：{1}。"),
            ["IdItem"] = ("{0} {1}: {2}.", "{0} {1}：{2}。"),
            ["Department"] = ("Department", "部门"),
            ["Tag"] = ("Tag", "标签"),
            ["UserLabel"] = ("User '{0}'", "成员“{0}”"),
            ["DepartmentLabel"] = ("Department '{0}'", "部门“{0}”"),
            ["AboutItem"] = ("{0}: {1}", "{0}：{1}"),
            ["WithDetail"] = ("{0}: {1}.", "{0}：{1}。"),
            ["NoAccessToken"] = ("No access token", "无法获取 access_token"),
            ["DepartmentHasOneMember"] = ("Department {0} still has {1} member.", "部门 {0} 下还有 {1} 个成员。"),
            ["DepartmentHasMembersCount"] = ("Department {0} still has {1} members.", "部门 {0} 下还有 {1} 个成员。"),
            ["DepartmentHasMembersAdvice"] = ("Move or remove its members first; Get-WeComUser -DepartmentId {0} lists them.", "请先移走或删除其成员；Get-WeComUser -DepartmentId {0} 可列出他们。"),

            // Validation rules (Rules.cs)
            ["InvalidUserId"] = ("'{0}' is not a valid userid: 1 to 64 characters of letters, digits and _ - @ ., starting with a letter or digit",
                "“{0}”不是有效的帐号（userid）：1 到 64 个字母、数字或 _ - @ . 字符，以字母或数字开头"),
            ["NameLength"] = ("the name '{0}' must be 1 to {1} characters", "名称“{0}”须为 1 到 {1} 个字符"),
            ["NameControl"] = ("the name '{0}' has a control character (a line break, tab or similar)", "名称“{0}”含有控制字符（换行、制表符等）"),
            ["DepartmentNameForbidden"] = ("the name '{0}' must not contain any of \\ : * ? \" < > |", "名称“{0}”不能包含 \\ : * ? \" < > | 中的任何字符"),
            ["InvalidMobile"] = ("'{0}' is not a mobile number: a mainland number is its digits, such as 13800000000; another region's is +<country code> <number>, such as +852 51234567; 5 to 20 digits after the country code, which is 1 to 4 digits",
                "“{0}”不是有效的手机号：中国大陆号码直接填数字，如 13800000000；其他国家或地区填“+国家码 号码”，如 +852 51234567；国家码 1 到 4 位，其后号码 5 到 20 位"),
            ["InvalidEmail"] = ("'{0}' is not an email address of 6 to 64 characters", "“{0}”不是 6 到 64 个字符的有效邮箱"),
            ["InvalidOrder"] = ("the order {0} is outside 0 to {1}", "排序值 {0} 超出 0 到 {1} 的范围"),
            ["InvalidOrderText"] = ("Order '{0}' is not a number from 0 to 4294967295", "排序值“{0}”不是 0 到 4294967295 之间的数字"),
            ["InvalidDepartmentId"] = ("{0} is not a department id", "{0} 不是有效的部门ID"),
            ["InvalidTagId"] = ("{0} is not a tag id", "{0} 不是有效的标签ID"),
            ["MobileAndEmailMissing"] = ("a new member needs a mobile number or an email", "新成员须有手机号或邮箱"),
            ["UserNameMissing"] = ("a new member needs a name", "新成员须有姓名"),
            ["LookupKeyMissing"] = ("give a mobile number or an email", "请提供手机号或邮箱"),
            ["TooManyDepartments"] = ("{0} departments are more than the {1} a member may be in", "{0} 个部门超过了成员最多可属的 {1} 个部门"),
            ["OrderCountMismatch"] = ("{0} order value(s) for {1} department(s): give one per department", "{1} 个部门给了 {0} 个排序值：每个部门须有一个"),
            ["LeaderFlagsMismatch"] = ("{0} leader flag(s) for {1} department(s): give one per department", "{1} 个部门给了 {0} 个部门负责人标记：每个部门须有一个"),
            ["InvalidMainDepartment"] = ("the main department {0} is not one of the member's departments", "主部门 {0} 不在该成员所属的部门中"),
            ["TooManyDirectLeaders"] = ("{0} direct leaders: WeCom allows at most one", "{0} 个直属上级：企业微信最多允许一个"),
            ["InvalidClear"] = ("'{0}' is not a field that can be cleared: use {1}", "“{0}”不是可清空的字段：可用 {1}"),
            ["ClearedAndGiven"] = ("{0} is both given and cleared", "{0} 既被指定又被清空"),
            ["NothingToChange"] = ("nothing to change: give at least one field (a blank value means unchanged; -Clear Position, Telephone empties fields)",
                "没有要修改的内容：请至少指定一个字段（空值表示不修改；用 -Clear Position, Telephone 清空字段）"),
            ["DepartmentNothingToChange"] = ("nothing to change: give a name, an English name, a parent or an order (-Clear NameEn empties the English name)",
                "没有要修改的内容：请指定名称、英文名称、上级部门或排序值（用 -Clear NameEn 清空英文名称）"),
            ["DepartmentMissing"] = ("Department is blank: every member is in a department", "部门为空：每个成员都必须属于一个部门"),
            ["InvalidGender"] = ("'{0}' is not a gender: Male or Female, 1 or 2, 男 or 女", "“{0}”不是有效的性别：Male 或 Female、1 或 2、男 或 女"),
            ["InvalidFlag"] = ("{0} '{1}' is not a yes/no value", "{0}“{1}”不是“是/否”值"),
            ["NotInImportTemplate"] = ("WeCom's import template has no column for {0}; set it with Set-WeComUser", "企业微信的导入模板没有 {0} 列；请用 Set-WeComUser 设置"),
            ["ExtAttrIsColumn"] = ("the extended attribute '{0}' has the name of a template column", "扩展属性“{0}”与模板的列同名"),
            ["InvalidExtAttr"] = ("the extended attribute '{0}' must be one text value, not a {1}", "扩展属性“{0}”须为一个文本值，而不是 {1}"),
            ["AList"] = ("list", "列表"),
            ["DepartmentIdMissing"] = ("the id of the department to change is missing", "缺少要修改的部门ID"),
            ["NewDepartmentId"] = ("a new department's id must be above 1, not {0}", "新部门的ID须大于 1，而不是 {0}"),
            ["ParentMissing"] = ("the parent department is missing", "缺少上级部门"),
            ["OwnParent"] = ("a department cannot be its own parent", "部门不能是自己的上级部门"),
            ["ImportDepartmentIdMissing"] = ("the department id (部门ID) is missing", "缺少部门ID"),
            ["ImportParentIdMissing"] = ("the parent id (父部门ID) is missing", "缺少父部门ID"),
            ["InvalidParentDepartment"] = ("{0} is not a parent department id", "{0} 不是有效的父部门ID"),
            ["OnePartPath"] = ("only the top department has a one-part path; give the full path from {0}", "只有顶级部门的路径只有一段；请给出从“{0}”开始的完整路径"),
            ["MoveBelowItself"] = ("it cannot move below itself ({0})", "不能移到自己之下（{0}）"),
            ["PathExists"] = ("{0} exists already as another department", "“{0}”已是另一个部门"),
            ["InvalidDepartmentIdText"] = ("Id '{0}' is not a department id", "Id“{0}”不是部门 ID"),
            ["OneDirectLeader"] = ("{0} direct leaders: WeCom allows at most one", "{0} 位直属上级：企业微信最多允许一位"),
            ["OwnDirectLeader"] = ("a member cannot be their own direct leader", "成员不能是自己的直属上级"),
            ["ExtAttrNotNameValue"] = ("ExtAttr '{0}' is not name=value", "扩展属性“{0}”不是 名称=值 的形式"),
            ["NotADepartmentField"] = ("'{0}' is not a department field a plan compares", "“{0}”不是计划比较的部门字段"),
            ["TagIdMissing"] = ("the id of the tag to rename is missing", "缺少要重命名的标签ID"),

            // WeComException
            ["ApiError"] = ("WeCom error {0} ({1}) from {2}: {3}", "企业微信错误 {0}（{1}），来自 {2}：{3}"),
            ["UnknownErrCode"] = ("see https://open.work.weixin.qq.com/devtool/query?e={0}", "见 https://open.work.weixin.qq.com/devtool/query?e={0}"),
            ["TransportFailed"] = ("WeCom call {0} failed: {1}. {2}", "调用企业微信 {0} 失败：{1}。{2}"),
            ["UnreachableAdvice"] = ("Check the network path to the WeCom endpoint, then run the command again.", "请检查到企业微信接口地址的网络，然后重新运行命令。"),
            ["InvalidResponseAdvice"] = ("The endpoint did not answer as the WeCom API does; check -BaseUri.", "该地址的应答不像企业微信 API；请检查 -BaseUri。"),
            ["TlsFailed"] = ("the TLS connection to {0} could not be established: {1}", "无法与 {0} 建立 TLS 连接：{1}"),
            ["TlsAdvice"] = ("Nothing was sent. Check the endpoint's certificate (its name, issuer and validity) or the proxy that intercepts HTTPS on this network; -BaseUri must name the host the certificate is for.",
                "未发送任何请求。请检查接口地址的证书（名称、颁发者和有效期），或本网络中拦截 HTTPS 的代理；-BaseUri 中的主机名须与证书一致。"),
            ["NoCgiBin"] = ("WeCom's API lives under /cgi-bin/ ({0}); the endpoint {1} has no /cgi-bin/", "企业微信的 API 位于 /cgi-bin/ 下（{0}）；接口地址 {1} 中没有 /cgi-bin/"),
            ["NoAnswerWithin"] = ("no answer within {0} s", "{0} 秒内没有应答"),

            // Cmdlets
            ["NotConnected"] = ("Not connected to WeCom. Run Connect-WeCom first (or Connect-WeCom -Sandbox to try the sample corp), or pass -Connection.",
                "尚未连接企业微信。请先运行 Connect-WeCom（或用 Connect-WeCom -Sandbox 试用示例企业），或传入 -Connection。"),
            ["NotConnectedInParallel"] = ("Not connected to WeCom in this runspace: connections are per runspace, so inside ForEach-Object -Parallel or Start-ThreadJob pass one in, e.g. -Connection $using:conn (with $conn = Connect-WeCom ... -PassThru or Get-WeComConnection -Current).",
                "此运行空间中没有企业微信连接：连接属于各自的运行空间，在 ForEach-Object -Parallel 或 Start-ThreadJob 中请传入连接，如 -Connection $using:conn（$conn = Connect-WeCom ... -PassThru 或 Get-WeComConnection -Current）。"),
            ["UnmatchedColumns"] = ("The column(s) {0} match no parameter of {1} and are ignored: columns bind by parameter name (Get-Help {1} -Parameter * lists them).",
                "列 {0} 与 {1} 的任何参数都不匹配，已忽略：列按参数名绑定（Get-Help {1} -Parameter * 列出参数）。"),
            ["ProgressCount"] = ("{0} of {1}", "{0} / {1}"),
            ["CreateMember"] = ("Create member", "创建成员"),
            ["UpdateMember"] = ("Update member", "更新成员"),
            ["EnableMember"] = ("Enable member", "启用成员"),
            ["DisableMember"] = ("Disable member", "禁用成员"),
            ["RemoveMember"] = ("Remove member", "删除成员"),
            ["UserLabelTarget"] = ("user {0}", "成员 {0}"),
            ["AddToTag"] = ("Add to tag {0}", "加入标签 {0}"),
            ["RemoveFromTag"] = ("Remove from tag {0}", "移出标签 {0}"),
            ["MembersWithTag"] = ("members with tag {0}", "标签 {0} 的成员"),
            ["Invite"] = ("Invite", "邀请"),
            ["CreateTag"] = ("Create tag", "创建标签"),
            ["RenameTag"] = ("Rename to '{0}'", "重命名为“{0}”"),
            ["TagTarget"] = ("tag {0}", "标签 {0}"),
            ["CreateDepartment"] = ("Create department", "创建部门"),
            ["UpdateDepartment"] = ("Update department", "更新部门"),
            ["RemoveDepartment"] = ("Remove department", "删除部门"),
            ["RemoveTag"] = ("Remove tag", "删除标签"),
            ["DepartmentTarget"] = ("department {0}", "部门 {0}"),
            ["UnderParent"] = ("{0} (under {1})", "{0}（位于 {1} 下）"),
            ["DeleteLimitTarget"] = ("{0} {1}(s), against the delete limit -MaxDelete {2} of the {1}s (over it, nothing is sent)", "{0} 个{1}，对照删除上限 -MaxDelete {2}（超过上限则不发送任何请求）"),
            ["MemberNoun"] = ("member", "成员"),
            ["DepartmentNoun"] = ("department", "部门"),
            ["RemoveNouns"] = ("Remove {0}s", "删除{0}"),
            ["FoundAfterLostAnswer"] = ("{0} was already in WeCom as asked: the create's answer was lost, so that attempt created it or it was there before. The object written is what WeCom holds.",
                "{0} 已按要求存在于企业微信：创建请求的应答丢失了，可能是那次请求创建的，也可能原本就有。输出的对象是企业微信中的实际数据。"),

            // Warnings (Core)
            ["NoDetails"] = ("WeCom refuses names and details to this contacts-sync secret from this IP (48009).", "企业微信拒绝向此 IP 上的通讯录同步 Secret 提供名称和详情（48009）。"),
            ["DepartmentsWithoutNames"] = ("The departments come without names (ids, parents and order from department/simplelist): {0}", "部门没有名称（ID、上级部门和排序值来自 department/simplelist）：{0}"),
            ["MembersWithoutDetails"] = ("The members come as userid and departments only (from user/list_id), without names or details: {0}", "成员只有 userid 和部门（来自 user/list_id），没有姓名和详情：{0}"),

            // Errors, warnings and progress of the operations
            ["LostRefusedUnread"] = ("an attempt's answer was lost, the retry was refused with {0} ({1}), and whether the item existed before could not be read", "一次请求的应答丢失，重试被拒绝（{0}，{1}），且无法读取该对象此前是否存在"),
            ["LostRefusedCheckFailed"] = ("an attempt's answer was lost, the retry was refused with {0} ({1}), and reading back what WeCom holds failed ({2})", "一次请求的应答丢失，重试被拒绝（{0}，{1}），且读取企业微信中的现状失败（{2}）"),
            ["LostFieldNotShown"] = ("an attempt's answer was lost, and WeCom does not show the field {0} to compare", "一次请求的应答丢失，且企业微信不返回可供比对的字段 {0}"),
            ["LostNotResent"] = ("the answer was lost ({0}), and it is not sent again because a second one would be applied twice", "应答丢失（{0}），且不会重发，因为再发一次会被执行两次"),
            ["LostRetriesSpent"] = ("an attempt's answer was lost and the retries ran out ({0})", "一次请求的应答丢失，且重试次数已用完（{0}）"),
            ["OutcomeUnknown"] = ("WeCom call {0} may or may not have been applied: {1}.", "企业微信调用 {0} 可能已执行，也可能没有：{1}。"),
            ["JobWaitTimedOut"] = ("Job {0} has not finished after {1} s; it goes on in WeCom.", "任务 {0} 在 {1} 秒后仍未完成；它会在企业微信中继续执行。"),
            ["JobWaitTimedOutAdvice"] = ("Resume the wait with Wait-WeComJob -JobId {0} (-TimeoutSec for longer), or check it with Get-WeComJob -JobId {0}.", "用 Wait-WeComJob -JobId {0} 继续等待（-TimeoutSec 可等更久），或用 Get-WeComJob -JobId {0} 查看。"),
            ["NoDepartmentNamed"] = ("No department is named '{0}'.", "没有名为“{0}”的部门。"),
            ["NoDepartmentNamedAdvice"] = ("Give its id, its name or its full path such as /广州研发中心/测试部; Get-WeComDepartment lists them.", "请给出部门ID、名称或完整路径（如 /广州研发中心/测试部）；Get-WeComDepartment 可列出部门。"),
            ["AmbiguousDepartmentName"] = ("{0} departments are named '{1}': {2}. Give the id or the full path.", "有 {0} 个部门名为“{1}”：{2}。请给出部门ID或完整路径。"),
            ["NoTagNamed"] = ("No tag is named '{0}'.", "没有名为“{0}”的标签。"),
            ["NoTagNamedAdvice"] = ("Give its id or its exact name; Get-WeComTag lists them.", "请给出标签ID或准确的名称；Get-WeComTag 可列出标签。"),
            ["AmbiguousTagName"] = ("{0} tags are named '{1}' in different letter case: {2}. Give the id.", "有 {0} 个标签名为“{1}”（大小写不同）：{2}。请给出标签ID。"),
            ["IdNotFound"] = ("{0} {1} does not exist (or is outside this secret's visible scope): nothing was sent.", "{0} {1} 不存在（或不在此 Secret 的可见范围内）：未发送任何请求。"),
            ["CheckIdWith"] = ("Check the id with Get-WeCom{0}.", "请用 Get-WeCom{0} 核对 ID。"),
            ["UserRepeated"] = ("User '{0}' is in the input more than once.", "成员“{0}”在输入中出现了不止一次。"),
            ["DepartmentRepeated"] = ("Department {0} is in the input more than once.", "部门 {0} 在输入中出现了不止一次。"),
            ["ImportDepartmentMissing"] = ("User '{0}': department {1} does not exist; sync the departments first (Sync-WeComDepartment).", "成员“{0}”：部门 {1} 不存在；请先同步部门（Sync-WeComDepartment）。"),
            ["ReplaceWouldBeRefused"] = ("WeCom would refuse this replace (errcode 45026): it deletes {0} of {1} members.", "企业微信会拒绝这次全量覆盖（错误码 45026）：它会删除 {1} 个成员中的 {0} 个。"),
            ["ImportParentMissing"] = ("Department '{0}': its parent {1} neither exists nor is in the input.", "部门“{0}”：其上级部门 {1} 既不存在，也不在输入中。"),
            ["InvalidJobId"] = ("'{0}' is not a job id: 1 to 64 bytes.", "“{0}”不是有效的任务ID：须为 1 到 64 个字节。"),
            ["JobProgress"] = ("Job {0} ({1}, {2} rows)", "任务 {0}（{1}，{2} 行）"),
            ["ReadingAllUserIds"] = ("Reading every member's userid and departments", "正在读取所有成员的 userid 和部门"),
            ["Downloading"] = ("Downloading {0}", "正在下载 {0}"),
            ["Downloaded"] = ("Downloaded the export of job {0}", "已下载任务 {0} 的导出文件"),
            ["WaitingForExport"] = ("Waiting for export job {0} ({1}), poll {2}", "正在等待导出任务 {0}（{1}），第 {2} 次查询"),
            ["NotAddedToTag"] = ("{0} was not added to tag {1}: WeCom listed it as invalid.", "{0} 未加入标签 {1}：企业微信将其列为无效。"),
            ["NotRemovedFromTag"] = ("{0} was not removed from tag {1}: WeCom listed it as invalid.", "{0} 未移出标签 {1}：企业微信将其列为无效。"),
            ["CheckExistsInScope"] = ("Check that it exists and is in this secret's visible scope.", "请检查它是否存在，且在此 Secret 的可见范围内。"),
            ["DuplicateChange"] = ("User '{0}' is changed twice in one call: give one change per member.", "成员“{0}”在一次调用中被修改了两次：每个成员只给一个修改。"),
            ["MobileIgnoredWhenActive"] = ("WeCom ignores a new mobile number for a member who has activated (status Active, or Disabled after activating): such a member changes it in the app.", "对已激活的成员（状态为已激活，或激活后被禁用），企业微信会忽略新的手机号：这类成员需在企业微信中自行修改。"),
            ["UserNotFoundNothingSent"] = ("User '{0}' does not exist: nothing was sent.", "成员“{0}”不存在：未发送任何请求。"),
            ["NotInvited"] = ("{0} was not invited: WeCom listed it as invalid.", "{0} 未被邀请：企业微信将其列为无效。"),
            ["NotInvitedAdvice"] = ("Check that it exists and is in this secret's visible scope; members who already joined are not invited again.", "请检查它是否存在，且在此 Secret 的可见范围内；已加入的成员不会再次被邀请。"),
            ["SeeDirectoryNow"] = ("Run Get-WeComUser or Get-WeComDepartment to see the directory as it is now.", "运行 Get-WeComUser 或 Get-WeComDepartment 查看通讯录的现状。"),
            ["IdLabel"] = ("{0} {1}", "{0} {1}"),
            ["ImportInputInvalid"] = ("{0} item(s) of the input are invalid, and a replace without them would delete them: nothing was sent. Correct the input and run it again.", "输入中有 {0} 项无效，不含它们的全量覆盖会把它们删除：未发送任何请求。请改正输入后重新运行。"),
            ["ImportInputEmpty"] = ("There is nothing to import: no valid member or department in the input.", "没有可导入的内容：输入中没有有效的成员或部门。"),
            ["InvalidMethod"] = ("The method '{0}' is not used by the WeCom API: use GET or POST.", "企业微信 API 不使用“{0}”方法：请用 GET 或 POST。"),
            ["ReservedQueryParameter"] = ("'{0}' is added by the connection; leave it out of the query.", "“{0}”由连接自动添加；请不要写在查询参数中。"),
            ["InvalidApiPath"] = ("'{0}' is not a WeCom API path such as 'user/get' (no host, no query string: pass the query as -Query).", "“{0}”不是企业微信 API 路径（如 'user/get'，不含主机和查询字符串：查询参数请用 -Query 传入）。"),
            ["GetTokenRefused"] = ("gettoken is called by the connection itself; its token is never handed out.", "gettoken 由连接自己调用；其 access_token 不会交出。"),
            ["InvalidBody"] = ("The body cannot be sent as JSON: it holds a {0} value. Give hashtables, arrays, text, numbers and true/false, or a JSON string.", "请求体无法作为 JSON 发送：其中含有 {0} 类型的值。请使用哈希表、数组、文本、数字和 true/false，或一个 JSON 字符串。"),
            ["InvalidJsonBody"] = ("The body is not valid JSON: {0}", "请求体不是有效的 JSON：{0}"),
            ["CorpIdMissing"] = ("The corp id is empty. Find it in the admin console under 我的企业 > 企业信息 > 企业ID.", "企业ID为空。可在管理后台的 我的企业 > 企业信息 > 企业ID 中找到。"),
            ["SecretMissing"] = ("The secret is empty. Use the contacts-sync secret (管理工具 > 通讯录同步) to change the directory, or an app secret to read its visible scope.", "Secret 为空。修改通讯录请用通讯录同步的 Secret（管理工具 > 通讯录同步），读取可见范围可用应用的 Secret。"),
            ["InvalidMaxConcurrency"] = ("MaxConcurrency must be between 1 and 32.", "MaxConcurrency 须在 1 到 32 之间。"),
            ["InvalidBaseUri"] = ("The endpoint '{0}' is not an absolute URI: give WeCom's API endpoint, {1}, or a proxy's https:// URI.", "接口地址“{0}”不是绝对 URI：请给出企业微信的 API 地址 {1}，或代理的 https:// URI。"),
            ["InsecureBaseUri"] = ("The endpoint '{0}' must be an absolute https:// URI (plain http is allowed only on loopback).", "接口地址“{0}”须为绝对的 https:// URI（只有本机回环地址允许 http）。"),
            ["UserRowRepeated"] = ("User '{0}' is in the rows more than once (userids are the same in any letter case).", "成员“{0}”在各行中出现了不止一次（userid 不区分大小写）。"),
            ["KeptUnconfirmed"] = ("done, but {1} of user {0} is not confirmed: WeCom may keep the member's own (Tencent Exmail) and it could not be read back ({2}); check it with Get-WeComUser {0}", "已完成，但成员 {0} 的 {1} 未经确认：企业微信可能保留成员自己的值（腾讯企业邮），且无法回读（{2}）；请用 Get-WeComUser {0} 核对"),
            ["KeptNotReadBack"] = ("the run ended before the read-back, or the member was not found", "运行在回读前结束，或未找到该成员"),
            ["JobAccepted"] = ("WeCom accepted {0} job {1} ({2} rows). If the wait is stopped, resume it with: Wait-WeComJob -JobId {1}", "企业微信已受理 {0} 任务 {1}（{2} 行）。若等待被中断，可用以下命令继续：Wait-WeComJob -JobId {1}"),
            ["DepartmentDetailsNotSet"] = ("Department '{0}' was created, but the run was stopped before its {1} was set.", "部门“{0}”已创建，但运行在设置其 {1} 之前被中断。"),
            ["DepartmentDetailsNotSetAdvice"] = ("Run the plan again to set it.", "请再次运行计划以完成设置。"),
            ["DepartmentIdElsewhere"] = ("Department '{0}': the row's Id {1} names the department at {2} (another row with that Id renamed or moved it); give each department's Id in one row only.", "部门“{0}”：该行的 Id {1} 指向位于 {2} 的部门（另一行用同一 Id 将其改名或移动了）；每个部门的 Id 只能出现在一行中。"),
            ["DepartmentRowRepeated"] = ("Department '{0}' is in the rows more than once.", "部门“{0}”在各行中出现了不止一次。"),
            ["NoMemberNamed"] = ("No member is named '{0}'.", "没有名为“{0}”的成员。"),
            ["NoMemberNamedIn"] = ("No member is named '{0}' in the departments given.", "所给部门中没有名为“{0}”的成员。"),
            ["NamesMatchedWhole"] = ("Names are matched whole: use wildcards such as '{0}*' to match part of a name.", "姓名按全名匹配：要匹配部分姓名请用通配符，如 '{0}*'。"),
            ["DepartmentDoesNotExist"] = ("{0}: department {1} does not exist.", "{0}：部门 {1} 不存在。"),
            ["DepartmentsDoNotExist"] = ("{0}: departments {1} do not exist.", "{0}：部门 {1} 不存在。"),
            ["GiveExistingDepartment"] = ("Give an existing department by id, name or full path; Get-WeComDepartment lists them.", "请用ID、名称或完整路径给出已有的部门；Get-WeComDepartment 可列出部门。"),
            ["TagLabel"] = ("Tag '{0}'", "标签“{0}”"),
            ["ReadingTagMembers"] = ("Reading the members of tag {0} {1}", "正在读取标签 {0} {1} 的成员"),
            ["ReadingAllTagMembers"] = ("Reading the members of every tag", "正在读取所有标签的成员"),
            ["TagDoesNotExist"] = ("Tag {0} does not exist.", "标签 {0} 不存在。"),
            ["ListTagsWith"] = ("List the tags with Get-WeComTag.", "请用 Get-WeComTag 列出标签。"),
            ["NoCredentials"] = ("No credentials: pass -CorpId and -Secret, -Credential or -Sandbox, or set the environment variables WECOM_CORP_ID and WECOM_CORP_SECRET (and optionally WECOM_APP_SECRET and WECOM_BASE_URI).", "没有凭据：请传入 -CorpId 和 -Secret、-Credential 或 -Sandbox，或设置环境变量 WECOM_CORP_ID 和 WECOM_CORP_SECRET（可选 WECOM_APP_SECRET 和 WECOM_BASE_URI）。"),
            ["NoCredentialsVariable"] = ("No credentials: {0} is not set in this process: pass -CorpId and -Secret, -Credential or -Sandbox, or set the environment variables WECOM_CORP_ID and WECOM_CORP_SECRET (and optionally WECOM_APP_SECRET and WECOM_BASE_URI).", "没有凭据：本进程中未设置 {0}：请传入 -CorpId 和 -Secret、-Credential 或 -Sandbox，或设置环境变量 WECOM_CORP_ID 和 WECOM_CORP_SECRET（可选 WECOM_APP_SECRET 和 WECOM_BASE_URI）。"),
            ["EnvBaseUriInvalid"] = ("WECOM_BASE_URI '{0}' is not an absolute URI.", "WECOM_BASE_URI“{0}”不是绝对 URI。"),
            ["NotCompared"] = ("Not compared: the column(s) {0} match no field a plan compares ({1}).", "未比较：列 {0} 与计划比较的字段（{1}）都不匹配。"),
            ["NotReturned"] = ("WeCom did not return {0} to this secret for some members: those fields were not compared for them.", "对部分成员，企业微信没有向此 Secret 返回 {0}：这些成员的这些字段未比较。"),
            ["DepartmentKeptChildren"] = ("Department {0} ({1}) is not in the input but is kept until it has no sub-departments: WeCom deletes it once it is empty.", "部门 {0}（{1}）不在输入中，但在其子部门清空前会保留：清空后企业微信会将其删除。"),
            ["DepartmentKeptMembers"] = ("Department {0} ({1}) is not in the input but is kept until it has no members: WeCom deletes it once a member import moves them out.", "部门 {0}（{1}）不在输入中，但在其成员移出前会保留：成员导入把他们移出后企业微信会将其删除。"),

            ["ConnectionNotFound"] = ("No WeCom connection named '{0}' in this session.", "此会话中没有名为“{0}”的企业微信连接。"),
            ["InputNotADepartment"] = ("{0} '{1}' is not a department: pipe departments from Get-WeComDepartment, or rows with an Id column.", "{0}“{1}”不是部门：请通过管道传入 Get-WeComDepartment 的部门，或带 Id 列的行。"),
            ["InputNotAMember"] = ("{0} '{1}' is not a member: pipe members from Get-WeComUser, or rows with a UserId column.", "{0}“{1}”不是成员：请通过管道传入 Get-WeComUser 的成员，或带 UserId 列的行。"),
            ["JournalPathMissing"] = ("Give the journal with -Path, or set $WeComJournalPath.", "请用 -Path 指定日志文件，或设置 $WeComJournalPath。"),
            ["JournalNotFound"] = ("There is no journal at '{0}'.", "“{0}”处没有日志文件。"),
            ["InputRowsRefused"] = ("{0} input row(s) were refused (see the errors above): a replace without them would delete those members. Fix the rows and run it again.", "有 {0} 行输入被拒绝（见上面的错误）：不含它们的全量覆盖会删除这些成员。请改正这些行后重新运行。"),
            ["NoLookupGiven"] = ("Give -Mobile or -Email.", "请给出 -Mobile 或 -Email。"),
            ["NoTargetGiven"] = ("Give -UserId or -DepartmentId (or pipe users or departments).", "请给出 -UserId 或 -DepartmentId（或通过管道传入成员或部门）。"),
            ["DepartmentNotInTree"] = ("Department {0} is not in the tree this secret can see.", "部门 {0} 不在此 Secret 可见的部门树中。"),
            ["DepartmentNotInTreeAdvice"] = ("Check the id with Get-WeComDepartment; an app secret sees only its visible scope (可见范围).", "请用 Get-WeComDepartment 核对 ID；应用的 Secret 只能看到其可见范围。"),
            ["AppCredentialOfAnotherCorp"] = ("-AppCredential names corp '{0}', -Credential corp '{1}': both secrets must be of the same corp.", "-AppCredential 指定的企业是“{0}”，-Credential 的是“{1}”：两个 Secret 必须属于同一企业。"),
            ["ImportErrorsIgnored"] = ("A replace deletes every {0} not in the input, so it must see the rows PowerShell could not bind: run it without -ErrorAction Ignore (SilentlyContinue is fine).", "全量覆盖会删除输入中没有的每个{0}，所以它必须看到 PowerShell 无法绑定的行：请不要用 -ErrorAction Ignore 运行（SilentlyContinue 可以）。"),
            ["ImportInputUnbound"] = ("{0} input row(s) could not be bound (see the errors above), so they never reached the import: a replace without them would delete those {1}s. Fix the rows and run it again.", "有 {0} 行输入无法绑定（见上面的错误），没有进入导入：不含它们的全量覆盖会删除这些{1}。请改正这些行后重新运行。"),
            ["ImportWhat"] = ("{0} with {1} {2}(s): {3}", "{0}，{1} 个{2}：{3}"),
            ["ImportDeletesLimit"] = (" (deletes {0})", "（删除 {0}）"),
            ["ImportDeletes"] = ("; deletes {0}", "；删除 {0}"),
            ["AndMore"] = (" and {0} more", " 等另外 {0} 个"),
            ["RunImport"] = ("Run the {0}?", "执行{0}？"),
            ["ImportNouns"] = ("Import {0}s", "导入{0}"),
            ["DepartmentNamesUnreadable"] = ("Department '{0}': department names cannot be read with this secret (48009 on an IP added after 2022-08-15), so give the department's id.", "部门“{0}”：此 Secret 无法读取部门名称（2022-08-15 之后新增的 IP 会收到 48009），请给出部门ID。"),
            ["DepartmentIdNotFound"] = ("Department {0} does not exist.", "部门 {0} 不存在。"),
            ["GiveExistingDepartmentPath"] = ("Give an existing department by id or full path; Get-WeComDepartment lists them.", "请用ID或完整路径给出已有的部门；Get-WeComDepartment 可列出部门。"),
            ["DepartmentTopNotFound"] = ("No department is named '{0}', and its top '{1}' is not in the tree to create it under.", "没有名为“{0}”的部门，且其顶级部门“{1}”不在部门树中，无法在其下创建。"),
            ["GiveFullPath"] = ("Give the full path from the top department, such as /广州研发中心/测试部; Get-WeComDepartment lists them.", "请给出从顶级部门开始的完整路径，如 /广州研发中心/测试部；Get-WeComDepartment 可列出部门。"),
            ["StalePlanItem"] = ("{0} is stale ({1} since the plan was made): nothing was sent for it. Make the plan again and review it.", "{0} 已过时（制定计划后{1}）：未为它发送任何请求。请重新制定计划并检查。"),
            ["StaleExistsNow"] = ("{0} is stale (it exists now): nothing was sent for it.", "{0} 已过时（它现在已存在）：未为它发送任何请求。"),
            ["ImportRowMissing"] = ("{0}: import job {1} reported no result for it.", "{0}：导入任务 {1} 没有报告它的结果。"),
            ["ImportRowMissingAdvice"] = ("Read the member with Get-WeComUser to see whether it changed, then make the plan again.", "请用 Get-WeComUser 读取该成员，看它是否已改变，然后重新制定计划。"),
            ["InvalidExportKey"] = ("An encoding_aeskey is 43 Base64 characters that decode to 32 bytes.", "encoding_aeskey 须为 43 个 Base64 字符，解码后为 32 字节。"),
            ["ExportFileUnreadable"] = ("The export file cannot be decrypted: {0}.", "导出文件无法解密：{0}。"),
            ["RunExportAgain"] = ("Run the export again.", "请重新导出。"),
            ["InvalidMaxDelete"] = ("'{0}' is not a delete limit: give a count such as 200 or a share such as 25%.", "“{0}”不是有效的删除上限：请给出数量（如 200）或比例（如 25%）。"),
            ["DeleteLimitExceeded"] = ("This would delete {0} {1}s, more than allowed: nothing was sent. Check the input (a truncated file deletes everyone left out); if the deletions are meant, raise the limit, e.g. -MaxDelete {2} or -MaxDelete 100%.", "这将删除 {0} 个{1}，超过了允许的数量：未发送任何请求。请检查输入（文件不完整会删除所有缺漏的人）；如果确实要删除，请调高上限，如 -MaxDelete {2} 或 -MaxDelete 100%。"),
            ["DeletesOfExisting"] = ("{0} of {1} (limit {2}: -MaxDelete {3})", "{1} 个中的 {0} 个（上限 {2}：-MaxDelete {3}）"),

            ["NoMemberWithEmail"] = ("No member has '{0}' as corporate mailbox or personal email.", "没有成员的企业邮箱或个人邮箱是“{0}”。"),
            ["NoMemberWithCorporateMail"] = ("No member has '{0}' as corporate mailbox (企业邮箱).", "没有成员的企业邮箱是“{0}”。"),
            ["NoMemberWithPersonalEmail"] = ("No member has '{0}' as personal email.", "没有成员的个人邮箱是“{0}”。"),
            ["CheckEmailAddress"] = ("Check the address; members outside this secret's visible scope are not found.", "请检查邮箱地址；不在此 Secret 可见范围内的成员查不到。"),
            ["TryPersonalEmail"] = ("If it is a personal email, pass -EmailType Personal (or leave -EmailType out to search both).", "如果这是个人邮箱，请传入 -EmailType Personal（或不写 -EmailType，两种都查）。"),
            ["TryCorporateMail"] = ("If it is a corporate mailbox, pass -EmailType Corporate (or leave -EmailType out to search both).", "如果这是企业邮箱，请传入 -EmailType Corporate（或不写 -EmailType，两种都查）。"),
            ["NotOneOf"] = ("'{0}' is not one of {1}.", "“{0}”不是 {1} 之一。"),
            ["NotAValid"] = ("'{0}' is not a valid {1}.", "“{0}”不是有效的 {1}。"),
            ["NotYesNo"] = ("'{0}' is not a yes/no value: use 1 or 0, true or false, 是 or 否.", "“{0}”不是“是/否”值：请用 1 或 0、true 或 false、是 或 否。"),
            ["HasNoUserId"] = ("{0} '{1}' has no UserId.", "{0}“{1}”没有 UserId。"),
            ["TagNoun"] = ("tag", "标签"),
            ["HasNoIdOf"] = ("{0} '{1}' is not a {2}: it has no {3}.", "{0}“{1}”不是{2}：它没有 {3}。"),
            ["UnderDepartment"] = (" (under {0})", "（在 {0} 下）"),
            ["PlanSummary"] = ("{0} plan item(s): create {1}, update {2}, delete {3}", "{0} 个计划项：创建 {1}，更新 {2}，删除 {3}"),
            ["ApplyPlanQuery"] = ("Apply {0}?", "执行{0}？"),
            ["ApplyPlan"] = ("Apply plan", "执行计划"),
            ["PlanCannotCompare"] = ("A plan cannot compare {0}: use {1}.", "计划无法比较 {0}：可用 {1}。"),
            ["RowMissingKey"] = ("The row '{0}' has no {1}: every row needs one.", "行“{0}”没有 {1}：每一行都必须有。"),

            ["CheckUserImport"] = ("An import job may have started: check the members of the input with Get-WeComUser (or a job id with Get-WeComJob) before running it again; running it again starts a second job.", "导入任务可能已经开始：重新运行前请用 Get-WeComUser 检查输入中的成员（或用 Get-WeComJob 查看任务ID）；再运行一次会启动第二个任务。"),
            ["CheckDepartmentImport"] = ("An import job may have started: check the departments of the input with Get-WeComDepartment before running it again; running it again starts a second job.", "导入任务可能已经开始：重新运行前请用 Get-WeComDepartment 检查输入中的部门；再运行一次会启动第二个任务。"),
            ["CheckInvitations"] = ("The invitations may have been sent: ask the members, or check their status with Get-WeComUser, before inviting them again.", "邀请可能已经发出：再次邀请前请询问成员，或用 Get-WeComUser 查看其状态。"),
            ["CheckMember"] = ("Check the member with Get-WeComUser before changing it again.", "再次修改前请用 Get-WeComUser 检查该成员。"),
            ["CheckDepartment"] = ("Check the department with Get-WeComDepartment before changing it again.", "再次修改前请用 Get-WeComDepartment 检查该部门。"),
            ["CheckTag"] = ("Check the tag with Get-WeComTag or Get-WeComTagMember before changing it again.", "再次修改前请用 Get-WeComTag 或 Get-WeComTagMember 检查该标签。"),
            ["CheckCall"] = ("Check in the admin console, or with a read of the API, whether it was applied before sending it again (Invoke-WeComApi -Idempotent resends a call that is safe to repeat).", "再次发送前请在管理后台或通过 API 读取确认它是否已执行（Invoke-WeComApi -Idempotent 会重发可安全重复的调用）。"),
            ["ImportSummary"] = ("create {0}, update {1}, delete {2}", "创建 {0}，更新 {1}，删除 {2}"),

            // Connections
            ["ConnectedAs"] = ("Connected to {0} as '{1}'.", "已连接到 {0}，连接名“{1}”。"),
            ["CurrentConnectionNow"] = ("The current connection is now '{0}' ({1}).", "当前连接现在是“{0}”（{1}）。"),
            ["NoCurrentConnection"] = ("No WeCom connection is current now: run Connect-WeCom, or pass -Connection.", "现在没有当前的企业微信连接：请运行 Connect-WeCom，或传入 -Connection。"),
            // Plans, imports and rows (more)
            ["NewUserIdNotCompared"] = ("Not compared: NewUserId. A plan finds members by their userid, and WeCom allows a userid to change only once where WeCom generated it, which the directory does not show: rename a member with Set-WeComUser -NewUserId.",
                "未比较：NewUserId。计划按 userid 查找成员；企业微信只允许由企业微信生成的 userid 修改一次，而通讯录看不出这一点：请用 Set-WeComUser -NewUserId 修改成员的 userid。"),
            ["NoDepartmentToRename"] = ("Department '{0}': there is no department {1} to rename or move.", "部门“{0}”：没有可重命名或移动的部门 {1}。"),
            ["NoDepartmentToRenameAdvice"] = ("Give the Id of an existing department, or leave the Id out to create it.", "请给出已有部门的 Id，或不填 Id 以创建该部门。"),
            ["RenameNamesUnreadable"] = ("Department '{0}' (id {1}): department names cannot be read with this secret (48009 on an IP added after 2022-08-15), so a rename or move cannot be planned.",
                "部门“{0}”（ID {1}）：此 Secret 无法读取部门名称（2022-08-15 之后添加的 IP 返回 48009），因此无法规划重命名或移动。"),
            ["PlanActionOn"] = ("{0} {1}", "{0}{1}"),
            ["ActionCreate"] = ("Create", "创建"),
            ["ActionUpdate"] = ("Update", "更新"),
            ["ActionDelete"] = ("Delete", "删除"),
            ["ActionUnchanged"] = ("Unchanged", "不变"),
            ["MoveDepartment"] = ("Move department", "移动部门"),
            ["MoveAndRenameDepartment"] = ("Move department and rename it", "移动并重命名部门"),
            ["RenameDepartment"] = ("Rename department", "重命名部门"),
            ["ImportPlanText"] = ("{0} of {1} rows: {2}", "{0}，共 {1} 行：{2}"),
            ["JobResultsText"] = ("{0} succeeded, {1} failed", "{0} 项成功，{1} 项失败"),
            ["GiveUserId"] = ("Give -UserId: the member's userid.", "请给出 -UserId：成员的 userid。"),
            ["RecordNotAMember"] = ("{0} '{1}' is not a member: it has no UserId.", "{0}“{1}”不是成员：它没有 UserId。"),
            ["RowUserIdBlank"] = ("A row's UserId is blank; each row needs the member's userid.", "某行的 UserId 为空；每一行都需要成员的 userid。"),
            ["RowHasNoUserIdColumn"] = ("A row has no UserId column (its columns: {0}); each row needs the member's userid in a column named UserId.", "某行没有 UserId 列（其列为：{0}）；每一行都需要在名为 UserId 的列中给出成员的 userid。"),
            // Stopping a run of changes
            ["StoppedHowFar"] = ("Stopped ({0}): {1}", "已停止（{0}）：{1}"),
            ["HowFarChanges"] = ("{0} of {1} done, {2} not sent", "{1} 项中完成 {0} 项，{2} 项未发送"),
            ["NothingInFlight"] = ("nothing was in flight.", "当时没有进行中的项。"),
            ["InFlightThen"] = ("in flight then: {0}.", "当时进行中的项：{0}。"),
            ["SettledDone"] = ("{0} done", "{0} 已完成"),
            ["SettledFailed"] = ("{0} failed", "{0} 失败"),
            ["SettledUnknown"] = ("{0} outcome unknown", "{0} 结果未知"),
            ["StoppedAdvice"] = ("Items not sent were not changed; run the command again for them. Check any item whose outcome is unknown before changing it again.",
                "未发送的项没有被修改，可再次运行命令处理它们。结果未知的项请先核对，再做修改。"),
            ["StoppedInFlight"] = ("the command was stopped while the request was in flight and it had not settled {0} s later", "命令在请求进行中被停止，{0} 秒后仍未得到结果"),
            ["CheckBeforeChanging"] = ("Check {0} in WeCom before changing it again.", "再次修改前，请先在企业微信中核对 {0}。"),
            ["JobStartStopped"] = ("the command was stopped while the job was being started, and WeCom had not answered after {0} s", "命令在启动任务时被停止，{0} 秒后企业微信仍未应答"),
            ["LookAt"] = ("Look at: {0}.", "请查看：{0}。"),
            ["JobMayBeRunning"] = ("A job may be running whose id is unknown: check the directory before importing again.", "可能有一个 ID 未知的任务正在运行：再次导入前请先核对通讯录。"),
            // Progress (Core)
            ["ReadingDepartmentMembers"] = ("Reading members of department {0}", "正在读取部门 {0} 的成员"),
            ["ReadingMembersOf"] = ("Reading members of {0} ({1})", "正在读取 {0}（{1}）的成员"),
            ["RemovingMembers"] = ("Removing members", "正在删除成员"),
        };
    }
}
