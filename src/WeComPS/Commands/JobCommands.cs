using System.Threading.Tasks;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace WeComPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Adds and updates members in one async import (batch/syncuser), or with -Replace makes the input the whole member list (batch/replaceuser). Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsData.Sync, "WeComUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(WeComJobResult), typeof(WeComJob))]
    public sealed class SyncWeComUserCommand : UserTemplateFieldsCommand
    {
        private readonly List<WeComUserChange> _users = new List<WeComUserChange>();
        private int _dropped;

        protected override bool ChecksDepartments => false;

        /// <summary><para type="description">The member's userid (帐号); rows and members bind by their UserId.</para></summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string UserId { get; set; } = "";

        /// <summary><para type="description">The member's name (姓名), 1 to 64 characters; needed for new members.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(Field = nameof(Name))]
        public string? Name { get; set; }

        /// <summary><para type="description">Enables (true, 1, yes) or disables (false, 0, no) the member: the template's 禁用 column.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [YesNo(Field = nameof(Enable))]
        public bool? Enable { get; set; }

        /// <summary><para type="description">Deletes every member who is not in the input (batch/replaceuser).</para></summary>
        [Parameter]
        public SwitchParameter Replace { get; set; }

        /// <summary><para type="description">Does not send WeCom's invitation to new members (to_invite = false).</para></summary>
        [Parameter]
        public SwitchParameter NoInvite { get; set; }

        /// <summary><para type="description">Returns the job as soon as WeCom accepts it instead of waiting for its results.</para></summary>
        [Parameter]
        public SwitchParameter NoWait { get; set; }

        /// <summary><para type="description">The longest to wait for the job, in seconds (default 3600); then the command ends with JobWaitTimedOut, naming the job to resume with Wait-WeComJob.</para></summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; } = DefaultJobTimeoutSec;

        /// <summary><para type="description">With -Replace, the most members it may delete: a count (200) or a share of the members (25%). Over it, nothing is sent. Default: 10%, at least 5.</para></summary>
        [Parameter]
        public string? MaxDelete { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            MarkInputErrors();
        }

        protected override void ProcessRecord()
        {
            if (ToTemplateChange(UserId, Name) is not { } user)
            {
                _dropped++;
                return;
            }

            user.Enable = Enable;
            _users.Add(user);
        }

        protected override void EndProcessing()
        {
            if (Replace && _dropped > 0)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSInvalidOperationException(Msg.Get("InputRowsRefused", _dropped)),
                    "ImportInputUnbound",
                    ErrorCategory.InvalidData,
                    null));
            }

            RunImport(
                Msg.Get("MemberNoun"),
                Replace,
                (connection, ct) => connection.Jobs.PlanUsersAsync(_users, Replace, ProgressBar, ct),
                NoInvite ? false : (bool?)null,
                NoWait,
                change => change.Action != WeComJobAction.Update,
                ParseDeleteLimit(MaxDelete),
                TimeoutSec);
        }
    }

    /// <summary>
    /// <para type="synopsis">Makes the input the whole department tree in one async import (batch/replaceparty): departments are created, renamed, moved and reordered, and the ones left out deleted once empty. Needs the contacts-sync secret.</para>
    /// </summary>
    [Cmdlet(VerbsData.Sync, "WeComDepartment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(WeComJobResult), typeof(WeComJob))]
    public sealed class SyncWeComDepartmentCommand : WeComCmdlet
    {
        private readonly List<WeComDepartmentChange> _departments = new List<WeComDepartmentChange>();

        /// <summary><para type="description">The department's id (部门ID); departments from Get-WeComDepartment bind by their Id.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("DepartmentId")]
        public int Id { get; set; }

        /// <summary><para type="description">The department's name (部门名称), 1 to 64 characters, none of \ : * ? " &lt; &gt; |.</para></summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = "";

        /// <summary><para type="description">The parent department's id (父部门ID); 0 only for the root, 1.</para></summary>
        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        public int ParentId { get; set; }

        /// <summary><para type="description">Order among its siblings, 0 to 4294967295; larger sorts first. Blank or 0 leaves the order as it is.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(As = typeof(long))]
        public long? Order { get; set; }

        /// <summary><para type="description">Returns the job as soon as WeCom accepts it instead of waiting for its results.</para></summary>
        [Parameter]
        public SwitchParameter NoWait { get; set; }

        /// <summary><para type="description">The longest to wait for the job, in seconds (default 3600); then the command ends with JobWaitTimedOut, naming the job to resume with Wait-WeComJob.</para></summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; } = DefaultJobTimeoutSec;

        /// <summary><para type="description">The most departments it may delete: a count (20) or a share of the departments (25%). Over it, nothing is sent. Default: 10%, at least 5.</para></summary>
        [Parameter]
        public string? MaxDelete { get; set; }

        protected override void BeginProcessing() => MarkInputErrors();

        protected override void ProcessRecord() =>
            _departments.Add(new WeComDepartmentChange { Id = Id, Name = Name.Trim(), ParentId = ParentId, Order = Order });

        protected override void EndProcessing() =>
            RunImport(Msg.Get("DepartmentNoun"), replaces: true, (connection, ct) => connection.Jobs.PlanDepartmentsAsync(_departments, ct), null, NoWait, _ => true, ParseDeleteLimit(MaxDelete), TimeoutSec);
    }

    /// <summary>
    /// <para type="synopsis">Gets async import jobs as WeCom reports them now (batch/getresult): status, percentage and, once finished, the result of each row.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WeComJob")]
    [OutputType(typeof(WeComJob))]
    public sealed class GetWeComJobCommand : WeComCmdlet
    {
        private readonly List<string> _ids = new List<string>();

        /// <summary><para type="description">Job ids, e.g. from Sync-WeComUser -NoWait; objects with a JobId property bind by it.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public string[] JobId { get; set; } = new string[0];

        protected override void ProcessRecord() => _ids.AddRange(JobId);

        protected override void EndProcessing()
        {
            var connection = ResolveConnection();
            RunAsync(ct => ForEachAsync(_ids, id => $"Job {id}", async (id, c) => PostObject(await connection.Jobs.GetAsync(id, c).ConfigureAwait(false)), ct));
        }
    }

    /// <summary>
    /// <para type="synopsis">Waits for async import jobs to finish, with a progress bar, and returns the result of each row.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "WeComJob", DefaultParameterSetName = JobSet)]
    [OutputType(typeof(WeComJobResult))]
    public sealed class WaitWeComJobCommand : WeComCmdlet
    {
        private const string JobSet = "Job";
        private const string JobIdSet = "JobId";
        private readonly List<WeComJob> _jobs = new List<WeComJob>();

        /// <summary><para type="description">Jobs from Sync-WeComUser -NoWait or Sync-WeComDepartment -NoWait: their results then also say what was created, updated and deleted.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = JobSet)]
        public WeComJob[] Job { get; set; } = new WeComJob[0];

        /// <summary><para type="description">Job ids; objects with a JobId property bind by it.</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = JobIdSet)]
        public string[] JobId { get; set; } = new string[0];

        /// <summary><para type="description">The longest to wait for each job, in seconds (default 3600); then the command ends with JobWaitTimedOut, naming the job to wait for again.</para></summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; } = DefaultJobTimeoutSec;

        protected override void ProcessRecord() =>
            _jobs.AddRange(ParameterSetName == JobSet ? Job : JobId.Select(id => new WeComJob { JobId = id }));

        protected override void EndProcessing()
        {
            var connection = ResolveConnection();
            RunAsync(ct => ForEachAsync(_jobs, job => $"Job {job.JobId}", (job, c) => WaitAndWriteAsync(connection, job.JobId, job.Plan, TimeoutSec, c), ct));
        }
    }

    /// <summary>
    /// <para type="synopsis">Exports every member in the secret's visible scope with an export job (export/user, or export/simple_user with -Simple): downloaded, checked, decrypted and returned as WeComUser objects.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "WeComUser")]
    [OutputType(typeof(WeComUser))]
    public sealed class ExportWeComUserCommand : WeComCmdlet
    {
        /// <summary><para type="description">Exports only each member's userid and departments (export/simple_user).</para></summary>
        [Parameter]
        public SwitchParameter Simple { get; set; }

        protected override void EndProcessing()
        {
            // It takes no input: whatever was piped to it selects nothing rather than everyone.
            if (PipedNothing(0))
            {
                return;
            }

            var connection = ResolveConnection();
            RunAsync(async cancellationToken =>
            {
                await foreach (var user in connection.Exports.ExportUsersAsync(Simple, ProgressBar, cancellationToken).ConfigureAwait(false))
                {
                    PostObject(user);
                }
            });
        }
    }

    /// <summary>
    /// <para type="synopsis">Exports every department in the secret's visible scope with an export job (export/department), in tree order with Path and Depth.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "WeComDepartment")]
    [OutputType(typeof(WeComDepartment))]
    public sealed class ExportWeComDepartmentCommand : WeComCmdlet
    {
        protected override void EndProcessing()
        {
            if (PipedNothing(0))
            {
                return;
            }

            var connection = ResolveConnection();
            RunAsync(async cancellationToken =>
            {
                foreach (var department in await connection.Exports.ExportDepartmentsAsync(ProgressBar, cancellationToken).ConfigureAwait(false))
                {
                    PostObject(department);
                }
            });
        }
    }

    /// <summary>
    /// <para type="synopsis">Exports the users (with their departments) and the departments that carry tags, with an export job per tag (export/taguser).</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "WeComTagUser")]
    [OutputType(typeof(WeComTagUser), typeof(WeComTagDepartment))]
    public sealed class ExportWeComTagUserCommand : WeComCmdlet
    {
        private readonly List<int> _ids = new List<int>();

        /// <summary><para type="description">The tags, by id or name; tags from Get-WeComTag bind by their TagId.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TagIdArgument]
        [ArgumentCompleter(typeof(TagIdCompleter))]
        public string[] TagId { get; set; } = new string[0];

        protected override void ProcessRecord() => _ids.AddRange(ResolveEach(TagId, tags: true));

        protected override void EndProcessing()
        {
            var connection = ResolveConnection();
            var names = Names;
            RunAsync(ct => ForEachAsync(
                _ids,
                id => $"Tag {id}",
                async (id, c) =>
                {
                    await foreach (var member in connection.Exports.ExportTagMembersAsync(id, ProgressBar, c).ConfigureAwait(false))
                    {
                        PostObject(await names.NameAsync(member, c).ConfigureAwait(false));
                    }
                },
                ct));
        }
    }
}
