using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace WeComPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets tags: all of them, by id, or by name.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WeComTag", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(WeComTag))]
    public sealed class GetWeComTagCommand : WeComCmdlet
    {
        private const string NameSet = "Name";
        private const string IdSet = "Id";
        private readonly List<string> _ids = new List<string>();

        /// <summary><para type="description">Only tags whose name matches; wildcards are allowed.</para></summary>
        [Parameter(Position = 0, ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TagNameCompleter))]
        public string Name { get; set; } = "*";

        /// <summary><para type="description">Tags by id or name.</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [TagIdArgument]
        [ArgumentCompleter(typeof(TagIdCompleter))]
        public string[] TagId { get; set; } = new string[0];

        /// <summary><para type="description">Only the tags given to these members directly (not through a department); members from Get-WeComUser bind by their UserId.</para></summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = UserSet)]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string[] UserId { get; set; } = new string[0];

        private const string UserSet = "User";
        private readonly HashSet<string> _userIds = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);

        protected override void ProcessRecord()
        {
            _ids.AddRange(TagId);
            _userIds.UnionWith(UserId);
        }

        protected override void EndProcessing()
        {
            if (PipedNothing(_ids.Count + _userIds.Count))
            {
                return;
            }

            var connection = ResolveConnection();
            var pattern = new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            RunAsync(async cancellationToken =>
            {
                var tags = await connection.Tags.GetAllAsync(cancellationToken).ConfigureAwait(false);
                if (ParameterSetName == UserSet)
                {
                    // WeCom lists a tag's members, not a member's tags: each tag is read once.
                    var done = 0;
                    foreach (var tag in tags)
                    {
                        PostProgress(new WeComProgress(Msg.Get("ReadingTagMembers", tag.TagId, tag.TagName), done++, tags.Count));
                        var members = await connection.Tags.GetMembersAsync(tag.TagId, cancellationToken).ConfigureAwait(false);
                        if (members.Any(m => m.UserId != null && _userIds.Contains(m.UserId)))
                        {
                            PostObject(tag);
                        }
                    }

                    PostProgress(new WeComProgress(Msg.Get("ReadingAllTagMembers"), tags.Count, tags.Count));
                    return;
                }

                if (ParameterSetName == NameSet)
                {
                    foreach (var tag in tags.Where(t => pattern.IsMatch(t.TagName)))
                    {
                        PostObject(tag);
                    }

                    return;
                }

                foreach (var text in _ids.Distinct())
                {
                    try
                    {
                        var id = NameResolver.FindTag(tags, text);
                        if (tags.FirstOrDefault(t => t.TagId == id) is { } tag)
                        {
                            PostObject(tag);
                        }
                        else
                        {
                            PostError(WeComException.NotFound("TagNotFound", Msg.Get("TagDoesNotExist", id), "tag/list", Msg.Get("ListTagsWith")), id);
                        }
                    }
                    catch (WeComException ex)
                    {
                        PostError(ex, text);
                    }
                }
            });
        }
    }

    /// <summary>
    /// <para type="synopsis">Gets the users and departments that carry a tag.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WeComTagMember")]
    [OutputType(typeof(WeComTagUser), typeof(WeComTagDepartment))]
    public sealed class GetWeComTagMemberCommand : WeComCmdlet
    {
        private readonly List<int> _ids = new List<int>();

        /// <summary><para type="description">The tags, by id or name; tag objects from Get-WeComTag bind by their TagId.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TagIdArgument]
        [ArgumentCompleter(typeof(TagIdCompleter))]
        public string[] TagId { get; set; } = new string[0];

        /// <summary><para type="description">Only users, or only departments.</para></summary>
        [Parameter]
        public WeComTagMemberType? MemberType { get; set; }

        protected override void ProcessRecord() => _ids.AddRange(ResolveEach(TagId, tags: true));

        protected override void EndProcessing()
        {
            var connection = ResolveConnection();
            var names = Names;
            RunAsync(async cancellationToken =>
            {
                foreach (var id in _ids.Distinct())
                {
                    try
                    {
                        var members = await connection.Tags.GetMembersAsync(id, cancellationToken).ConfigureAwait(false);
                        foreach (var member in members.Where(m => MemberType is null || m.MemberType == MemberType))
                        {
                            PostObject(await names.NameAsync(member, cancellationToken).ConfigureAwait(false));
                        }
                    }
                    catch (WeComException ex)
                    {
                        PostItemError(ex.About($"Tag {id}"), id);
                    }
                }
            });
        }
    }
}
