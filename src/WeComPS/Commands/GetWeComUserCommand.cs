using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;

namespace WeComPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets members: by user id, or the members of departments (direct, or with -Recurse everyone below), each member once.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WeComUser", DefaultParameterSetName = AllSet)]
    [OutputType(typeof(WeComUser))]
    public sealed class GetWeComUserCommand : WeComCmdlet
    {
        private const string AllSet = "All";
        private const string UserIdSet = "UserId";
        private const string DepartmentSet = "Department";
        private readonly List<string> _userIds = new List<string>();
        private readonly List<int> _departmentIds = new List<int>();

        /// <summary><para type="description">User ids (case-insensitive), e.g. from Import-Csv or Get-WeComTagMember.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = UserIdSet)]
        [ValidateNotNullOrEmpty]
        [UserIdArgument(LeavesDepartments = true)]
        public string[] UserId { get; set; } = new string[0];

        /// <summary><para type="description">Departments whose members to get; departments from Get-WeComDepartment, tagged departments and rows with a DepartmentId column bind by their DepartmentId (another object's Id is no department).</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DepartmentSet)]
        [ArgumentCompleter(typeof(DepartmentIdCompleter))]
        public int[] DepartmentId { get; set; } = new int[0];

        /// <summary><para type="description">Also the members of every department below the given ones.</para></summary>
        [Parameter(ParameterSetName = DepartmentSet)]
        public SwitchParameter Recurse { get; set; }

        /// <summary>
        /// <para type="description">Reads the light list (user id, name, departments) instead of full records: one cheap call per department.</para>
        /// </summary>
        [Parameter(ParameterSetName = DepartmentSet)]
        [Parameter(ParameterSetName = AllSet)]
        public SwitchParameter Simple { get; set; }

        /// <summary><para type="description">Requests at once for this call (1 to 32); defaults to the connection's MaxConcurrency.</para></summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int? MaxConcurrency { get; set; }

        protected override void ProcessRecord()
        {
            // Gathered here, read in EndProcessing: then all departments or ids are read concurrently.
            if (ParameterSetName == UserIdSet)
            {
                _userIds.AddRange(UserId);
            }
            else if (ParameterSetName == DepartmentSet)
            {
                _departmentIds.AddRange(DepartmentId);
            }
        }

        protected override void EndProcessing()
        {
            // An empty pipeline, or input that all failed to bind, must not turn into "every member".
            if (PipedNothing(_userIds.Count + _departmentIds.Count))
            {
                return;
            }

            var connection = ResolveConnection();
            // Each member once, across user ids and departments.
            var seen = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
            void Once(WeComUser user)
            {
                if (seen.Add(user.UserId))
                {
                    PostObject(user);
                }
            }

            RunAsync(async cancellationToken =>
            {
                // Piped input can mix users and departments (Get-WeComTagMember): users first, then departments.
                if (_userIds.Count > 0)
                {
                    await EmitAsync(connection.Users.GetAsync(_userIds, MaxConcurrency, cancellationToken), Once).ConfigureAwait(false);
                }

                if (_departmentIds.Count > 0)
                {
                    await EmitAsync(connection.Users.GetByDepartmentAsync(_departmentIds, Recurse, Simple, ProgressBar, MaxConcurrency, cancellationToken), Once).ConfigureAwait(false);
                }
                else if (_userIds.Count == 0)
                {
                    await EmitAsync(connection.Users.GetAllAsync(Simple, ProgressBar, MaxConcurrency, cancellationToken), Once).ConfigureAwait(false);
                }
            });
        }
    }
}
