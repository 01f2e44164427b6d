using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates tags. The app whose secret creates a tag owns it: only that app may rename it, delete it or change who carries it.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "WeComTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(WeComTag))]
    public sealed class NewWeComTagCommand : WeComCmdlet
    {
        private readonly List<WeComTagChange> _tags = new List<WeComTagChange>();

        /// <summary><para type="description">The tag name, 1 to 32 characters, unique in the corp.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("TagName")]
        public string Name { get; set; } = "";

        /// <summary><para type="description">The id to give the tag (0 or more, unused); WeCom picks one when it is left out.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsNull(As = typeof(int))]
        public int? TagId { get; set; }

        protected override void ProcessRecord()
        {
            var tag = new WeComTagChange { TagId = TagId, TagName = Name.Trim() };
            if (Approve(tag.Validate(creating: true), tag.TagName, tag.ToString(), Msg.Get("CreateTag")))
            {
                _tags.Add(tag);
            }
        }

        protected override void EndProcessing() =>
            RunChanges(_tags.Count, (connection, ct) => connection.Tags.CreateAsync(_tags, ct), writeEach: true);
    }

    /// <summary>
    /// <para type="synopsis">Renames tags. Only the app that created a tag may rename it.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "WeComTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(WeComTag))]
    public sealed class SetWeComTagCommand : WeComCmdlet
    {
        private readonly List<WeComTagChange> _tags = new List<WeComTagChange>();

        /// <summary><para type="description">The tag to rename, by id or name; tags from Get-WeComTag bind by their TagId.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [TagIdArgument]
        [ArgumentCompleter(typeof(TagIdCompleter))]
        public string TagId { get; set; } = "";

        /// <summary><para type="description">The new name, 1 to 32 characters, unique in the corp.</para></summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Alias("NewName")]
        public string Name { get; set; } = "";

        /// <summary><para type="description">Writes each renamed tag.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!TryResolveIds(new[] { TagId }, tags: true, "", TagId, out var id))
            {
                return;
            }

            var tag = new WeComTagChange { TagId = id![0], TagName = Name.Trim() };
            if (Approve(tag.Validate(creating: false), tag.TagId, Msg.Get("TagTarget", TagLabel(id[0], ConfirmImpact.Medium)), Msg.Get("RenameTag", tag.TagName)))
            {
                _tags.Add(tag);
            }
        }

        protected override void EndProcessing() =>
            RunChanges(_tags.Count, (connection, ct) => connection.Tags.RenameAsync(_tags, ct), writeEach: PassThru);
    }

    /// <summary>
    /// <para type="synopsis">Removes tags. The users and departments that carried them stay. Only the app that created a tag may remove it.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "WeComTag", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveWeComTagCommand : WeComCmdlet
    {
        private readonly List<int> _ids = new List<int>();

        /// <summary><para type="description">The tags to remove, by id or name; tags from Get-WeComTag bind by their TagId.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TagIdArgument]
        [ArgumentCompleter(typeof(TagIdCompleter))]
        public string[] TagId { get; set; } = new string[0];

        protected override void ProcessRecord() => _ids.AddRange(ResolveEach(TagId, tags: true).Where(id => ShouldProcess(Msg.Get("TagTarget", TagLabel(id, ConfirmImpact.High)), Msg.Get("RemoveTag"))));

        protected override void EndProcessing() =>
            RunChanges(_ids.Count, (connection, ct) => connection.Tags.DeleteAsync(_ids, ct));
    }

    /// <summary>
    /// What Add-WeComTagUser and Remove-WeComTagUser share: users and departments gathered per tag from the pipeline,
    /// then sent in as few calls as WeCom's limits allow (1,000 users and 100 departments per call).
    /// </summary>
    public abstract class TagMembershipCommand : MemberTargetsCommand
    {
        private readonly Dictionary<int, (List<string> Users, List<int> Departments)> _byTag = new Dictionary<int, (List<string>, List<int>)>();

        /// <summary><para type="description">The tag, by id or name. Tag members from Get-WeComTagMember bind by their TagId unless -TagId is given.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [BlankAsNull]
        [ArgumentCompleter(typeof(TagIdCompleter))]
        public string TagId { get; set; } = "";

        /// <summary><para type="description">Writes each user and department changed, as tag members.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// True to add the tag, false to remove it. (A flag rather than an abstract method returning IAsyncEnumerable:
        /// virtual members are resolved when PowerShell loads the cmdlet types, before the module can resolve dependencies.)
        /// </summary>
        protected abstract bool Adding { get; }

        private string Action(int tagId) => Msg.Get(Adding ? "AddToTag" : "RemoveFromTag", TagLabel(tagId, Adding ? ConfirmImpact.Medium : ConfirmImpact.High));

        private IAsyncEnumerable<ItemResult<WeComTagMember>> Change(WeComConnection connection, int tagId, List<string> users, List<int> departments, CancellationToken cancellationToken) =>
            Adding
                ? connection.Tags.AddMembersAsync(tagId, users, departments, cancellationToken)
                : connection.Tags.RemoveMembersAsync(tagId, users, departments, cancellationToken);

        protected override void ProcessRecord()
        {
            if (!HasTargets() || !TryResolveIds(new[] { TagId }, tags: true, Msg.Get("TagLabel", TagId), TagId, out var tag))
            {
                return;
            }

            var tagId = tag![0];
            if (!_byTag.TryGetValue(tagId, out var members))
            {
                _byTag[tagId] = members = (new List<string>(), new List<int>());
            }

            var action = Action(tagId);
            members.Users.AddRange(ApprovedUsers(action));
            members.Departments.AddRange(ApprovedDepartments(action));
        }

        protected override void EndProcessing()
        {
            var pending = _byTag.Where(t => t.Value.Users.Count + t.Value.Departments.Count > 0).ToList();
            if (pending.Count == 0)
            {
                return;
            }

            var connection = ResolveConnection();
            var names = Names;
            RunAsync(async cancellationToken =>
            {
                foreach (var tag in pending)
                {
                    try
                    {
                        // tag/get names the users: read before they are removed, or after they are added (-PassThru only).
                        var named = PassThru && !Adding ? await MembersAsync(connection, tag.Key, cancellationToken).ConfigureAwait(false) : null;
                        var changed = new List<WeComTagMember>();
                        await EmitAsync(Change(connection, tag.Key, tag.Value.Users, tag.Value.Departments, cancellationToken), PassThru ? changed.Add : null).ConfigureAwait(false);
                        if (changed.Count > 0)
                        {
                            named ??= await MembersAsync(connection, tag.Key, cancellationToken).ConfigureAwait(false);
                        }

                        foreach (var member in changed)
                        {
                            member.Name ??= named!.FirstOrDefault(m => m.UserId != null && string.Equals(m.UserId, member.UserId, System.StringComparison.OrdinalIgnoreCase))?.Name;
                            PostObject(await names.NameAsync(member, cancellationToken).ConfigureAwait(false));
                        }

                        ItemSucceeded();
                    }
                    catch (WeComException ex)
                    {
                        // The tag itself was refused (unknown, or another app's): one error for it, and on to the next tag.
                        PostItemError(ex, tag.Key);
                    }
                }
            });
        }

        /// <summary>The tag's members as tag/get lists them (with the users' names); none where they cannot be read.</summary>
        private static async Task<IReadOnlyList<WeComTagMember>> MembersAsync(WeComConnection connection, int tagId, CancellationToken cancellationToken)
        {
            try
            {
                return await connection.Tags.GetMembersAsync(tagId, cancellationToken).ConfigureAwait(false);
            }
            catch (WeComException ex) when (!ex.AffectsAllItems)
            {
                return new WeComTagMember[0];
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Tags users and departments: pipe members from Get-WeComUser, departments from Get-WeComDepartment, or rows from Import-Csv.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "WeComTagUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(WeComTagUser), typeof(WeComTagDepartment))]
    public sealed class AddWeComTagUserCommand : TagMembershipCommand
    {
        protected override bool Adding => true;
    }

    /// <summary>
    /// <para type="synopsis">Removes a tag from users and departments; pipe Get-WeComTagMember to clear a tag.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "WeComTagUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(WeComTagUser), typeof(WeComTagDepartment))]
    public sealed class RemoveWeComTagUserCommand : TagMembershipCommand
    {
        protected override bool Adding => false;
    }
}
