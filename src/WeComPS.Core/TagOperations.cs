using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>Reads and changes tags.</summary>
    internal sealed partial class TagOperations
    {
        private readonly WeComConnection _connection;

        internal TagOperations(WeComConnection connection) => _connection = connection;

        /// <summary>Every tag the secret can see (tag/list).</summary>
        public async Task<IReadOnlyList<WeComTag>> GetAllAsync(CancellationToken cancellationToken)
        {
            var root = await _connection.Client.GetAsync("tag/list", null, cancellationToken).ConfigureAwait(false);
            return root.Items("taglist")
                .Select(t => new WeComTag { TagId = t.Int("tagid") ?? 0, TagName = t.Str("tagname") ?? "" })
                .ToList();
        }

        /// <summary>The users, then the departments, that carry tag <paramref name="tagId"/> (tag/get), within the visible scope.</summary>
        public async Task<IReadOnlyList<WeComTagMember>> GetMembersAsync(int tagId, CancellationToken cancellationToken)
        {
            var root = await _connection.Client.GetAsync("tag/get", "tagid=" + tagId.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            var tagName = root.Str("tagname");
            var users = root.Items("userlist").Select(u => (WeComTagMember)new WeComTagUser
            {
                TagId = tagId,
                TagName = tagName,
                UserId = u.Str("userid") ?? "",
                Name = u.Str("name"),
            });
            var departments = (root.IntArray("partylist") ?? new int[0]).Select(id => new WeComTagDepartment
            {
                TagId = tagId,
                TagName = tagName,
                DepartmentId = id,
            });
            return users.Concat(departments).ToList();
        }
    }
}
