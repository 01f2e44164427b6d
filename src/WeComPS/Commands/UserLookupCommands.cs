using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace WeComPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Finds members' userids by mobile number or email. WeCom blocks the mobile look-up for a day when too many look-ups miss.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WeComUserId")]
    [OutputType(typeof(WeComUserLookup))]
    public sealed class GetWeComUserIdCommand : WeComCmdlet
    {
        private readonly List<WeComUserLookup> _lookups = new List<WeComUserLookup>();

        /// <summary><para type="description">Mobile numbers to look up.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SplitList]
        public string[]? Mobile { get; set; }

        /// <summary><para type="description">Emails to look up, where a row has no mobile number.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SplitList]
        public string[]? Email { get; set; }

        /// <summary><para type="description">Which mailbox -Email searches: Corporate (企业邮箱) or Personal. Without it, the corporate mailbox first, then the personal email.</para></summary>
        [Parameter]
        public WeComEmailType EmailType { get; set; } = WeComEmailType.Corporate;

        protected override void ProcessRecord()
        {
            // A row with both columns is looked up by mobile: one look-up per member.
            var lookups = Mobile != null
                ? Mobile.Select(m => new WeComUserLookup { Mobile = m })
                : (Email ?? new string[0]).Select(e => new WeComUserLookup { Email = e, EmailType = MyInvocation.BoundParameters.ContainsKey(nameof(EmailType)) ? EmailType : (WeComEmailType?)null });
            var before = _lookups.Count;
            _lookups.AddRange(lookups);
            if (_lookups.Count == before)
            {
                WriteError(new ErrorRecord(new PSArgumentException(Msg.Get("NoLookupGiven")), "NoLookupGiven", ErrorCategory.InvalidArgument, null));
            }
        }

        protected override void EndProcessing() =>
            RunChanges(_lookups.Count, (connection, ct) => connection.Users.FindUserIdAsync(_lookups, null, ct), writeEach: true);
    }

    /// <summary>
    /// <para type="synopsis">Converts members' userids to openids (for WeChat Pay and other WeChat APIs).</para>
    /// </summary>
    [Cmdlet(VerbsData.ConvertTo, "WeComOpenId")]
    [OutputType(typeof(WeComOpenId))]
    public sealed class ConvertToWeComOpenIdCommand : WeComCmdlet
    {
        private readonly List<string> _userIds = new List<string>();

        /// <summary><para type="description">The members; members from Get-WeComUser bind by their UserId.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [UserIdArgument]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string[] UserId { get; set; } = new string[0];

        protected override void ProcessRecord() => _userIds.AddRange(UserId);

        protected override void EndProcessing() =>
            RunChanges(_userIds.Count, (connection, ct) => connection.Users.ConvertToOpenIdAsync(_userIds, null, ct), writeEach: true);
    }

    /// <summary>
    /// <para type="synopsis">Invites members to join WeCom: users, or everyone in departments or carrying tags. Members who already joined are not invited again.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "WeComInvitation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class SendWeComInvitationCommand : MemberTargetsCommand
    {
        private readonly List<string> _users = new List<string>();
        private readonly List<int> _departments = new List<int>();
        private readonly List<int> _tags = new List<int>();

        /// <summary><para type="description">Tags whose members to invite, by id or name. Not taken from the pipeline, so piped tag members invite only themselves.</para></summary>
        [Parameter]
        [TagIdArgument]
        [ArgumentCompleter(typeof(TagIdCompleter))]
        public string[]? TagId { get; set; }

        protected override void ProcessRecord()
        {
            if (TagId is null && !HasTargets())
            {
                return;
            }

            _users.AddRange(ApprovedUsers(Msg.Get("Invite")));
            _departments.AddRange(ApprovedDepartments(Msg.Get("Invite")));
        }

        protected override void EndProcessing()
        {
            _tags.AddRange(ResolveEach(TagId ?? new string[0], tags: true).Where(id => ShouldProcess(Msg.Get("MembersWithTag", TagLabel(id, ConfirmImpact.Medium)), Msg.Get("Invite"))));
            RunChanges(_users.Count + _departments.Count + _tags.Count, (connection, ct) => connection.Users.InviteAsync(_users, _departments, _tags, ct));
        }
    }

    /// <summary>
    /// What the cmdlets that act on users and whole departments share (Add-/Remove-WeComTagUser,
    /// Send-WeComInvitation): both lists bind by property name, so members, departments, tag members and CSV rows
    /// can be piped in, mixed.
    /// </summary>
    public abstract class MemberTargetsCommand : WeComCmdlet
    {
        /// <summary><para type="description">Users; members from Get-WeComUser and tag members bind by their UserId. In a CSV cell: "u1;u2".</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SplitList]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string[]? UserId { get; set; }

        /// <summary><para type="description">Departments, standing for all their members, by id, unique name or full path; departments from Get-WeComDepartment bind by their DepartmentId (an Id column of a CSV row does not).</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SplitList]
        [ArgumentCompleter(typeof(DepartmentIdCompleter))]
        public string[]? DepartmentId { get; set; }

        /// <summary>False, with an error written, when this record names no user and no department.</summary>
        protected bool HasTargets()
        {
            if (UserId is null && DepartmentId is null)
            {
                WriteError(new ErrorRecord(
                    new PSArgumentException(Msg.Get("NoTargetGiven")), "NoTargetGiven", ErrorCategory.InvalidArgument, null));
                return false;
            }

            return true;
        }

        /// <summary>The users of this record that the user agrees to <paramref name="action"/>.</summary>
        protected IEnumerable<string> ApprovedUsers(string action) =>
            (UserId ?? new string[0]).Where(id => ShouldProcess(Msg.Get("UserLabelTarget", UserOperations.CheckUserId(id) is null ? UserLabel(id, Impact) : id), action)).ToList();

        /// <summary>The departments of this record that the user agrees to <paramref name="action"/>.</summary>
        protected IEnumerable<int> ApprovedDepartments(string action) =>
            TryResolveIds(DepartmentId, tags: false, "", DepartmentId ?? (object)"", out var ids)
                ? (ids ?? new int[0]).Where(id => ShouldProcess(Msg.Get("DepartmentTarget", DepartmentLabel(id, Impact)), action)).ToList()
                : new List<int>();

        /// <summary>The command's ConfirmImpact, for naming departments only when they are shown.</summary>
        private ConfirmImpact Impact => GetType().GetCustomAttributes(typeof(CmdletAttribute), true).OfType<CmdletAttribute>().FirstOrDefault()?.ConfirmImpact ?? ConfirmImpact.Medium;
    }
}
