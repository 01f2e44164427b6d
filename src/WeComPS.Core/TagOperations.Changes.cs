using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    // Changes to tags: create, rename, delete, and who carries them. Only the app that created a tag may change it.
    internal sealed partial class TagOperations
    {
        /// <summary>tag/addtagusers and tag/deltagusers take at most this many users per call.</summary>
        public const int UsersPerCall = 1000;

        /// <summary>... and at most this many departments per call.</summary>
        public const int DepartmentsPerCall = 100;

        /// <summary>Creates tags (tag/create), one after another; each comes back with the id WeCom gave it.</summary>
        public IAsyncEnumerable<ItemResult<WeComTag>> CreateAsync(IEnumerable<WeComTagChange> tags, CancellationToken cancellationToken = default) =>
            Each(
                tags,
                creating: true,
                "tag/create",
                async (t, ct) =>
                {
                    var body = new Dictionary<string, object> { ["tagname"] = t.TagName };
                    body.Put("tagid", t.TagId);
                    var answer = await _connection.Client.PostAsync("tag/create", body, ct).ConfigureAwait(false);
                    return new WeComTag { TagId = answer.Int("tagid") ?? t.TagId ?? 0, TagName = t.TagName, FoundInPlace = ExactlyOnce.Confirmed(answer) != null };
                },
                cancellationToken);

        /// <summary>Renames tags (tag/update).</summary>
        public IAsyncEnumerable<ItemResult<WeComTag>> RenameAsync(IEnumerable<WeComTagChange> tags, CancellationToken cancellationToken = default) =>
            Each(
                tags,
                creating: false,
                "tag/update",
                async (t, ct) =>
                {
                    await _connection.Client.PostAsync("tag/update", new Dictionary<string, object> { ["tagid"] = t.TagId!.Value, ["tagname"] = t.TagName }, ct).ConfigureAwait(false);
                    return new WeComTag { TagId = t.TagId.Value, TagName = t.TagName };
                },
                cancellationToken);

        /// <summary>Deletes tags (tag/delete); the users and departments that carried them are not touched. An unknown tag id is reported without a request.</summary>
        public async IAsyncEnumerable<ItemResult<int>> DeleteAsync(IEnumerable<int> tagIds, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var existing = (await GetAllAsync(cancellationToken).ConfigureAwait(false)).Select(t => t.TagId).ToList();
            await foreach (var result in Batches.DeleteEachAsync(_connection.Client, tagIds.Distinct(), existing, "tag/delete", "tagid", "Tag", Rules.TagId, null, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }

        /// <summary>
        /// Tags users and departments (tag/addtagusers) in as few calls as the limits allow. Yields each user and
        /// department; those WeCom lists as invalid come as failures while the others are tagged. A tag that does not
        /// exist or belongs to another app fails the whole operation.
        /// </summary>
        public IAsyncEnumerable<ItemResult<WeComTagMember>> AddMembersAsync(
            int tagId, IEnumerable<string> userIds, IEnumerable<int> departmentIds, CancellationToken cancellationToken = default) =>
            ChangeMembersAsync("tag/addtagusers", "added to", tagId, userIds, departmentIds, cancellationToken);

        /// <summary>Removes a tag from users and departments (tag/deltagusers), as <see cref="AddMembersAsync"/> adds it.</summary>
        public IAsyncEnumerable<ItemResult<WeComTagMember>> RemoveMembersAsync(
            int tagId, IEnumerable<string> userIds, IEnumerable<int> departmentIds, CancellationToken cancellationToken = default) =>
            ChangeMembersAsync("tag/deltagusers", "removed from", tagId, userIds, departmentIds, cancellationToken);

        private async IAsyncEnumerable<ItemResult<WeComTagMember>> ChangeMembersAsync(
            string path, string outcome, int tagId, IEnumerable<string> userIds, IEnumerable<int> departmentIds, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (Rules.IdError("Tag", tagId, Rules.TagId) is { } badTag)
            {
                throw badTag;
            }

            var (users, invalidUsers) = UserOperations.CheckUserIds<WeComTagMember>(userIds);
            foreach (var failure in invalidUsers)
            {
                yield return failure;
            }

            var (departments, invalidDepartments) = ItemResults.Split<int, WeComTagMember>(departmentIds.Distinct(), id => Rules.IdError("Department", id, Rules.DepartmentId), id => id);
            foreach (var failure in invalidDepartments)
            {
                yield return failure;
            }

            if (users.Count == 0 && departments.Count == 0)
            {
                yield break;
            }

            var results = Batches.SendAsync(
                _connection.Client,
                path,
                new Dictionary<string, object> { ["tagid"] = tagId },
                new[]
                {
                    new TargetList("userlist", "invalidlist", UsersPerCall, "User", users),
                    new TargetList("partylist", "invalidparty", DepartmentsPerCall, "Department", departments.Cast<object>()),
                },
                // An unknown tag, or one of another app, fails every call alike: one error for the tag, not one per member.
                (ex => ex.ErrCode == 40068 || ex.ErrCode == 81011, $"Tag {tagId}"),
                what => WeComException.Rejected("TagMemberRejected", Msg.Get(outcome == "added to" ? "NotAddedToTag" : "NotRemovedFromTag", what, tagId), path, Msg.Get("CheckExistsInScope")),
                cancellationToken);
            await foreach (var result in results.ConfigureAwait(false))
            {
                yield return result.Select(item => item is string userId
                    ? new WeComTagUser { TagId = tagId, UserId = userId }
                    : (WeComTagMember)new WeComTagDepartment { TagId = tagId, DepartmentId = (int)item });
            }
        }

        private IAsyncEnumerable<ItemResult<WeComTag>> Each(
            IEnumerable<WeComTagChange> tags, bool creating, string apiPath, Func<WeComTagChange, CancellationToken, Task<WeComTag>> call, CancellationToken cancellationToken) =>
            Concurrent.EachAsync(
                tags,
                t => t.Validate(creating),
                call,
                t => ((object?)t.TagId ?? t.TagName, $"Tag '{t}'"),
                apiPath,
                1,
                _connection.Client.Retry.StopGrace,
                null,
                creating ? "Creating tags" : "Renaming tags",
                cancellationToken);
    }
}
