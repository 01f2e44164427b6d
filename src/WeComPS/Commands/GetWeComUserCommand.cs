using System.Collections.Generic;
using System.Linq;
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
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = UserIdSet)]
        [ValidateNotNullOrEmpty]
        [UserIdArgument(LeavesDepartments = true)]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string[] UserId { get; set; } = new string[0];

        /// <summary><para type="description">Departments whose members to get, by id, unique name or full path; departments from Get-WeComDepartment, tagged departments and rows with a DepartmentId column bind by their DepartmentId (another object's Id is no department).</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DepartmentSet)]
        [DepartmentIdArgument]
        [ArgumentCompleter(typeof(DepartmentIdCompleter))]
        public string[] DepartmentId { get; set; } = new string[0];

        /// <summary><para type="description">Only members whose name matches one of these patterns (wildcards allowed), e.g. 李四 or '王*', found in the light list; with -DepartmentId (and -Recurse) only there.</para></summary>
        [Parameter(ParameterSetName = DepartmentSet)]
        [Parameter(ParameterSetName = AllSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

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
                _departmentsAsked = true;
                _departmentIds.AddRange(ResolveEach(DepartmentId, tags: false));
            }
        }

        private bool _departmentsAsked;

        protected override void EndProcessing()
        {
            // An empty pipeline, input that all failed to bind, or departments that are all unknown must not turn into "every member".
            if (PipedNothing(_userIds.Count + _departmentIds.Count) || (_departmentsAsked && _departmentIds.Count == 0 && _userIds.Count == 0))
            {
                return;
            }

            var connection = ResolveConnection();
            if (Name != null)
            {
                GetByName(connection);
                return;
            }

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
    
        /// <summary>
        /// The members whose name matches -Name: the light list of the departments (or everyone) is searched, then
        /// full records are read for the matches only. A pattern without wildcards that matches no one is an error.
        /// </summary>
        private void GetByName(WeComConnection connection)
        {
            var patterns = Name!.Select(n => (Text: n, Pattern: new WildcardPattern(n, WildcardOptions.IgnoreCase))).ToList();
            var matched = new HashSet<string>();
            RunAsync(async cancellationToken =>
            {
                var light = _departmentIds.Count > 0
                    ? connection.Users.GetByDepartmentAsync(_departmentIds, Recurse, simple: true, ProgressBar, MaxConcurrency, cancellationToken)
                    : connection.Users.GetAllAsync(simple: true, ProgressBar, MaxConcurrency, cancellationToken);
                var found = new List<WeComUser>();
                await EmitAsync(light, user =>
                {
                    var hits = patterns.Where(p => p.Pattern.IsMatch(user.Name ?? "")).Select(p => p.Text).ToList();
                    if (hits.Count > 0)
                    {
                        matched.UnionWith(hits);
                        found.Add(user);
                    }
                }).ConfigureAwait(false);

                if (Simple)
                {
                    found.ForEach(PostObject);
                }
                else if (found.Count > 0)
                {
                    await EmitAsync(connection.Users.GetAsync(found.Select(u => u.UserId), MaxConcurrency, cancellationToken), PostObject).ConfigureAwait(false);
                }

                foreach (var missing in patterns.Where(p => !WildcardPattern.ContainsWildcardCharacters(p.Text) && !matched.Contains(p.Text)))
                {
                    PostError(
                        WeComException.NotFound("UserNotFound", Msg.Get(_departmentIds.Count > 0 ? "NoMemberNamedIn" : "NoMemberNamed", missing.Text), "user/simplelist", Msg.Get("NamesMatchedWhole", missing.Text)),
                        missing.Text);
                }
            });
        }
    }
}
