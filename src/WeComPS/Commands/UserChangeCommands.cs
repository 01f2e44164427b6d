using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace WeComPS.Commands
{
    /// <summary>
    /// The member fields that WeCom's import template has too, shared by New-WeComUser, Set-WeComUser and
    /// Sync-WeComUser. Each binds by property name, so rows from Import-Csv (blank cells ignored, lists such as "2;5"
    /// split) and members from Get-WeComUser both work.
    /// </summary>
    public abstract class UserTemplateFieldsCommand : WeComCmdlet
    {
        /// <summary><para type="description">Another name for the member (别名), at most 64 characters.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(Field = nameof(Alias))]
        public string? Alias { get; set; }

        /// <summary><para type="description">Mobile number, unique in the corp, e.g. 13800000000 or '+86 13800000000'.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(Field = nameof(Mobile))]
        public string? Mobile { get; set; }

        /// <summary><para type="description">Personal email, unique in the corp.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(Field = nameof(Email))]
        public string? Email { get; set; }

        /// <summary><para type="description">Landline number.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(Field = nameof(Telephone))]
        public string? Telephone { get; set; }

        /// <summary><para type="description">Job title (职务).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(Field = nameof(Position))]
        public string? Position { get; set; }

        /// <summary><para type="description">Male or Female (1 or 2, or WeCom's 男 or 女).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(As = typeof(WeComGender), Field = nameof(Gender))]
        public WeComGender? Gender { get; set; }

        /// <summary><para type="description">Departments, at most 100, by id, unique name or full path (/广州研发中心/测试部); replaces the member's departments. In a CSV cell: "2;5" or "邮箱后台组;测试部".</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DepartmentId")]
        [SplitList(Field = nameof(Department))]
        [ArgumentCompleter(typeof(DepartmentIdCompleter))]
        public string[]? Department { get; set; }

        /// <summary><para type="description">Order within each department of -Department, one value each, 0 to 4294967295; larger sorts first.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SplitList(As = typeof(long), Field = nameof(Order))]
        public long[]? Order { get; set; }

        /// <summary><para type="description">Whether the member leads each department of -Department, one value each: 1 or 0, true or false, 是 or 否.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SplitList(Flags = true, Field = nameof(IsLeaderInDept))]
        public bool[]? IsLeaderInDept { get; set; }

        /// <summary><para type="description">Postal address.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(Field = nameof(Address))]
        public string? Address { get; set; }

        /// <summary>
        /// <para type="description">What was piped: a row (Import-Csv, [pscustomobject]) gives the fields of its columns, and its columns that match no parameter are named in one warning per command.</para>
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        private HashSet<string> _givenOnCommandLine = new HashSet<string>();

        /// <summary>Whether an unknown department id is refused before sending (WeCom refuses it with 40066; an import files it under 其他).</summary>
        protected virtual bool ChecksDepartments => true;

        protected override void BeginProcessing()
        {
            _givenOnCommandLine = new HashSet<string>(MyInvocation.BoundParameters.Keys, System.StringComparer.OrdinalIgnoreCase);
            CheckCells("The command line", null!, commandLine: true);
        }

        /// <summary>False, with the error written, when no userid came: a row without a UserId column (or with it blank), or none on the command line.</summary>
        private bool CheckUserIdGiven(string userId)
        {
            if (!string.IsNullOrWhiteSpace(userId))
            {
                return true;
            }

            CellErrors.Take();
            var columns = InputObject?.Properties.Select(p => p.Name).ToList() ?? new List<string>();
            var message = InputObject is null ? Msg.Get("GiveUserId")
                : PipedInput.IsRecord(InputObject) ? Msg.Get("RecordNotAMember", InputObject.BaseObject.GetType().Name, InputObject)
                : columns.Contains("UserId", System.StringComparer.OrdinalIgnoreCase) ? Msg.Get("RowUserIdBlank")
                : Msg.Get("RowHasNoUserIdColumn", string.Join(", ", columns.Select(c => "'" + c + "'")));
            WriteError(ToErrorRecord(WeComException.InvalidInput("UserIdMissing", message), InputObject));
            return false;
        }

        /// <summary>
        /// Order, leader flags and main department belong to the department list they came with: when -Department is
        /// given on the command line, those piped in with a member's old departments are left out.
        /// </summary>
        protected bool Keeps(string departmentDetail) =>
            !_givenOnCommandLine.Contains(nameof(Department)) || _givenOnCommandLine.Contains(departmentDetail);

        /// <summary>True when the parameter <paramref name="name"/> was given on the command line, not bound from the pipeline.</summary>
        protected bool GivenOnCommandLine(string name) => _givenOnCommandLine.Contains(name);

        /// <summary>
        /// The change these parameters describe for <paramref name="userId"/>: the template's fields only, departments
        /// given by name looked up. Null, with the error written, when a value of the row did not convert or a
        /// department is unknown.
        /// </summary>
        private protected WeComUserChange? ToTemplateChange(string userId, string? name)
        {
            WarnUnmatchedColumns(InputObject);
            var item = Msg.Get("UserLabel", userId);
            if (!CheckUserIdGiven(userId)
                || !CheckCells(item, userId)
                || !TryResolveIds(Department, tags: false, item, userId, out var departments)
                || (ChecksDepartments && !CheckDepartmentsExist(departments, item, userId)))
            {
                return null;
            }

            return new WeComUserChange
            {
                UserId = userId.Trim(' ', '\u3000'),
                Name = string.IsNullOrWhiteSpace(name) ? null : name!.Trim(),
                Alias = Alias,
                Mobile = Mobile,
                Email = Email,
                Telephone = Telephone,
                Position = Position,
                Gender = Gender,
                Department = departments,
                Order = Keeps(nameof(Order)) ? Order : null,
                IsLeaderInDept = Keeps(nameof(IsLeaderInDept)) ? IsLeaderInDept : null,
                Address = Address,
            };
        }
    }

    /// <summary>The member fields New-WeComUser and Set-WeComUser share: the template's, and those only user/create and user/update take.</summary>
    public abstract class UserFieldsCommand : UserTemplateFieldsCommand
    {
        /// <summary><para type="description">Corporate mailbox (企业邮箱).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(Field = nameof(BizMail))]
        public string? BizMail { get; set; }

        /// <summary><para type="description">The main department, by id, unique name or full path; one of -Department.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(Field = nameof(MainDepartment))]
        [ArgumentCompleter(typeof(DepartmentIdCompleter))]
        public string? MainDepartment { get; set; }

        /// <summary><para type="description">Userid of the member's direct leader (直属上级).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SplitList(Field = nameof(DirectLeader))]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string[]? DirectLeader { get; set; }

        /// <summary><para type="description">Job title shown to external contacts (对外职务).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(Field = nameof(ExternalPosition))]
        public string? ExternalPosition { get; set; }

        /// <summary><para type="description">Text extended attributes (扩展属性) by name, e.g. @{ 工号 = 'A1024' }; the names must exist in the admin console.</para></summary>
        [Parameter]
        public IDictionary? ExtAttr { get; set; }

        /// <summary><para type="description">The corp name external contacts see (对外信息: 企业对外简称).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull]
        public string? ExternalCorpName { get; set; }

        /// <summary><para type="description">Text external attributes (对外信息: 对外属性) by name, e.g. @{ 对外电话 = '020-88888888' }; replaces the member's external attributes.</para></summary>
        [Parameter]
        public IDictionary? ExternalAttr { get; set; }

        private static bool IsText(object? value) =>
            (value is PSObject wrapped ? wrapped.BaseObject : value) is null or string or System.ValueType;

        /// <summary>The change these parameters describe for <paramref name="userId"/>; null, with the error written, when it cannot be made.</summary>
        private protected WeComUserChange? ToChange(string userId, string? name)
        {
            var change = ToTemplateChange(userId, name);
            var main = Keeps(nameof(MainDepartment)) && MainDepartment != null ? new[] { MainDepartment } : null;
            if (change is null || !TryResolveIds(main, tags: false, Msg.Get("UserLabel", userId), userId, out var mainId))
            {
                return null;
            }

            // An attribute is one text: a list or an object would be stored as its type name.
            if (ExtAttr?.Cast<DictionaryEntry>().FirstOrDefault(e => !IsText(e.Value)) is { Key: { } badName } bad)
            {
                WriteError(ToErrorRecord(
                    Rules.Fail("InvalidExtAttr", "InvalidExtAttr", badName, bad.Value is IEnumerable ? Msg.Get("AList") : (bad.Value is PSObject p ? p.BaseObject : bad.Value)!.GetType().Name).About("UserItem", userId),
                    userId));
                return null;
            }

            change.BizMail = BizMail;
            change.MainDepartment = mainId?[0];
            change.DirectLeader = DirectLeader;
            change.ExternalPosition = ExternalPosition;
            change.ExtAttr = ExtAttr?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "");
            change.ExternalCorpName = ExternalCorpName;
            change.ExternalAttr = ExternalAttr?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "");
            return change;
        }
    }

    /// <summary>
    /// <para type="synopsis">Creates members. Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "WeComUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(WeComUser))]
    public sealed class NewWeComUserCommand : UserFieldsCommand
    {
        private readonly List<WeComUserChange> _users = new List<WeComUserChange>();

        /// <summary><para type="description">The new member's userid (account): 1 to 64 letters, digits and _ - @ ., unique in the corp.</para></summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string UserId { get; set; } = "";

        /// <summary><para type="description">The member's name, 1 to 64 characters.</para></summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = "";

        /// <summary><para type="description">Creates the member disabled.</para></summary>
        [Parameter]
        public SwitchParameter Disabled { get; set; }

        /// <summary><para type="description">Does not send WeCom's invitation to the new member.</para></summary>
        [Parameter]
        public SwitchParameter NoInvite { get; set; }

        /// <summary><para type="description">Requests at once (1 to 32); defaults to the connection's MaxConcurrency.</para></summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int? MaxConcurrency { get; set; }

        protected override void ProcessRecord()
        {
            if (ToChange(UserId, Name) is not { } user)
            {
                return;
            }

            user.Enable = Disabled ? false : (bool?)null;
            user.ToInvite = NoInvite ? false : (bool?)null;
            if (Approve(user.Validate(creating: true), user.UserId, user.ToString(), Msg.Get("CreateMember")))
            {
                _users.Add(user);
            }
        }

        protected override void EndProcessing() =>
            RunChanges(_users.Count, (connection, ct) => connection.Users.CreateAsync(_users, ProgressBar, MaxConcurrency, ct), writeEach: true);
    }

    /// <summary>
    /// <para type="synopsis">Changes members: only the fields given are changed. Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "WeComUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(WeComUser))]
    public sealed class SetWeComUserCommand : UserFieldsCommand
    {
        private readonly List<WeComUserChange> _changes = new List<WeComUserChange>();

        /// <summary><para type="description">The member to change; members from Get-WeComUser bind by their UserId.</para></summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string UserId { get; set; } = "";

        /// <summary><para type="description">A new name, 1 to 64 characters.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(Field = nameof(Name))]
        public string? Name { get; set; }

        /// <summary><para type="description">A new userid. WeCom allows renaming a member's userid only once.</para></summary>
        [Parameter]
        public string? NewUserId { get; set; }

        /// <summary><para type="description">Text fields to empty, e.g. -Clear Position, Telephone. (An empty value or a blank CSV cell leaves a field unchanged.)</para></summary>
        [Parameter]
        [ValidateSet(nameof(Alias), nameof(Mobile), nameof(Email), nameof(BizMail), nameof(Telephone), nameof(Position), nameof(Address), nameof(ExternalPosition), IgnoreCase = true)]
        public string[]? Clear { get; set; }

        /// <summary><para type="description">Writes each changed member, read back from WeCom.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary><para type="description">Requests at once (1 to 32); defaults to the connection's MaxConcurrency.</para></summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int? MaxConcurrency { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null && !PipedInput.IsRecord(InputObject) && !PipedInput.IsRow(InputObject))
            {
                WriteError(new ErrorRecord(new PSArgumentException(Msg.Get("InputNotAMember", InputObject.BaseObject.GetType().Name, InputObject)), "InputNotAMember", ErrorCategory.InvalidArgument, InputObject));
                return;
            }

            if (ToChange(UserId, Name) is not { } change)
            {
                return;
            }

            if (PipedInput.IsRecord(InputObject))
            {
                OnlyGivenOnCommandLine(change);
            }

            change.NewUserId = NewUserId;
            change.Clear = Clear;
            if (Approve(change.Validate(creating: false) ?? change.CheckChangesSomething(), change.UserId, change.Describe(), Msg.Get("UpdateMember")))
            {
                _changes.Add(change);
            }
        }

        protected override void EndProcessing() =>
            RunChanges(_changes.Count, (connection, ct) => connection.Users.UpdateAsync(_changes, ProgressBar, MaxConcurrency, ct), passThru: ReadBackUsers(PassThru));

        /// <summary>A record piped back binds as identity only: every field not given on the command line is left out.</summary>
        private void OnlyGivenOnCommandLine(WeComUserChange change)
        {
            T? Given<T>(string name, T? value) => GivenOnCommandLine(name) ? value : default;
            change.Name = Given(nameof(Name), change.Name);
            change.Alias = Given(nameof(Alias), change.Alias);
            change.Mobile = Given(nameof(Mobile), change.Mobile);
            change.Email = Given(nameof(Email), change.Email);
            change.BizMail = Given(nameof(BizMail), change.BizMail);
            change.Telephone = Given(nameof(Telephone), change.Telephone);
            change.Position = Given(nameof(Position), change.Position);
            change.Gender = GivenOnCommandLine(nameof(Gender)) ? change.Gender : null;
            change.Department = Given(nameof(Department), change.Department);
            change.Order = Given(nameof(Order), change.Order);
            change.IsLeaderInDept = Given(nameof(IsLeaderInDept), change.IsLeaderInDept);
            change.MainDepartment = GivenOnCommandLine(nameof(MainDepartment)) ? change.MainDepartment : null;
            change.DirectLeader = Given(nameof(DirectLeader), change.DirectLeader);
            change.Address = Given(nameof(Address), change.Address);
            change.ExternalPosition = Given(nameof(ExternalPosition), change.ExternalPosition);
        }
    }

    /// <summary>What the cmdlets that take members by userid share: each id checked and approved as it arrives.</summary>
    public abstract class UserIdChangeCommand : WeComCmdlet
    {
        /// <summary><para type="description">The members; members from Get-WeComUser and rows with a UserId column bind by property name.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [UserIdArgument]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string[] UserId { get; set; } = new string[0];

        /// <summary>The approved userids, changed in EndProcessing.</summary>
        protected List<string> Approved { get; } = new List<string>();

        /// <summary>What is done to each member, as -WhatIf and -Confirm show it.</summary>
        protected abstract string Action { get; }

        /// <summary>How many userids came in, approved or not.</summary>
        protected int Asked { get; private set; }
        /// <summary>How much the change matters, for naming members only when -WhatIf or -Confirm shows them.</summary>
        protected abstract ConfirmImpact Impact { get; }

        protected override void ProcessRecord()
        {
            foreach (var id in UserId)
            {
                Asked++;
                var invalid = UserOperations.CheckUserId(id);
                if (Approve(invalid, id, invalid is null ? UserLabel(id, Impact) : id, Action))
                {
                    Approved.Add(id);
                }
            }
        }
    }

    /// <summary>What Enable-WeComUser and Disable-WeComUser share.</summary>
    public abstract class UserStateCommand : UserIdChangeCommand
    {
        /// <summary><para type="description">Writes each changed member, read back from WeCom.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary><para type="description">Requests at once (1 to 32); defaults to the connection's MaxConcurrency.</para></summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int? MaxConcurrency { get; set; }

        /// <summary>True to enable the members, false to disable them.</summary>
        protected abstract bool Enabled { get; }

        protected override string Action => Msg.Get(Enabled ? "EnableMember" : "DisableMember");

        protected override ConfirmImpact Impact => ConfirmImpact.Medium;

        protected override void EndProcessing() =>
            RunChanges(Approved.Count, (connection, ct) => connection.Users.SetEnabledAsync(Approved, Enabled, ProgressBar, MaxConcurrency, ct), passThru: ReadBackUsers(PassThru));
    }

    /// <summary>
    /// <para type="synopsis">Enables members, so they can sign in again. Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Enable, "WeComUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(WeComUser))]
    public sealed class EnableWeComUserCommand : UserStateCommand
    {
        protected override bool Enabled => true;
    }

    /// <summary>
    /// <para type="synopsis">Disables members: they can no longer sign in, and stay in the directory. Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Disable, "WeComUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(WeComUser))]
    public sealed class DisableWeComUserCommand : UserStateCommand
    {
        protected override bool Enabled => false;
    }

    /// <summary>
    /// <para type="synopsis">Removes members from the organisation, in batches of up to 200. Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "WeComUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveWeComUserCommand : UserIdChangeCommand
    {
        /// <summary><para type="description">The most members it may remove: a count (200) or a share of the members (25%). Over it, nothing is sent. Default: 10%, at least 5.</para></summary>
        [Parameter]
        public string? MaxDelete { get; set; }

        protected override string Action => Msg.Get("RemoveMember");

        protected override ConfirmImpact Impact => ConfirmImpact.High;

        private DeleteLimit _limit = DeleteLimit.Default;

        // A limit that is none ends the command before anything is asked or read.
        protected override void BeginProcessing() => _limit = ParseDeleteLimit(MaxDelete);

        protected override void EndProcessing()
        {
            ShowDeleteLimit(Asked, _limit, Msg.Get("MemberNoun"));
            RunChanges(Approved.Count, (connection, ct) => connection.Users.DeleteAsync(Approved, ProgressBar, ct, _limit));
        }
    }
}
