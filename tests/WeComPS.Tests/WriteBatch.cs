using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS.Tests
{
    /// <summary>
    /// A batch of every kind of write on a generated corp of 30 departments and 2,500 members (seed 5), and the state it
    /// must leave behind: for the fault suite, which runs it under faults and checks each write took effect once.
    /// </summary>
    internal static class WriteBatch
    {
        private const int TagId = 500;

        /// <summary>Runs the batch; answers every failure reported for an item.</summary>
        public static async Task<List<WeComException>> RunAsync(WeComConnection connection)
        {
            var errors = new List<WeComException>();
            async Task<List<T>> Run<T>(IAsyncEnumerable<ItemResult<T>> results)
            {
                var all = await results.ToListAsync();
                errors.AddRange(all.Where(r => r.Error != null).Select(r => r.Error!));
                return all.Where(r => r.Error is null).Select(r => r.Value!).ToList();
            }

            await Run(connection.Users.CreateAsync(Enumerable.Range(1, 30).Select(i => new WeComUserChange
            {
                UserId = NewUserId(i),
                Name = "新成员" + i,
                Mobile = "1370000" + i.ToString("D4"),
                Email = NewUserId(i) + "@example.com",
                Department = new[] { 1 + (i % 30) },
            })));
            await Run(connection.Users.UpdateAsync(Range(1, 20).Select(id => new WeComUserChange { UserId = id, Position = "架构师" })));
            await Run(connection.Users.UpdateAsync(new[] { new WeComUserChange { UserId = "u000021", NewUserId = "renamed021" } }));
            await Run(connection.Users.SetEnabledAsync(Range(22, 4), enabled: false));

            var departments = await Run(connection.Departments.CreateAsync(Enumerable.Range(1, 5)
                .Select(i => new WeComDepartmentChange { Id = 1000 + i, Name = "新部门" + i, ParentId = 1 })
                .Concat(Enumerable.Range(1, 5).Select(i => new WeComDepartmentChange { Name = "无号部门" + i, ParentId = 2 }))));
            var tags = await Run(connection.Tags.CreateAsync(new[] { new WeComTagChange { TagName = "故障标签A" }, new WeComTagChange { TagId = TagId, TagName = "故障标签B" } }));

            await Run(connection.Tags.AddMembersAsync(TagId, Range(101, 1500), Enumerable.Range(3, 10)));
            await Run(connection.Tags.RemoveMembersAsync(TagId, Range(101, 300), new int[0]));
            await Run(connection.Users.DeleteAsync(Range(2001, 250)));
            await Run(connection.Departments.DeleteAsync(departments.Where(d => d.Name!.StartsWith("无号部门")).Select(d => d.Id)));
            await Run(connection.Tags.DeleteAsync(tags.Where(t => t.TagName == "故障标签A").Select(t => t.TagId)));
            return errors;
        }

        /// <summary>Checks, with reads free of faults, that every write of the batch took effect, and each create once.</summary>
        public static async Task AssertAppliedOnceAsync(TestCorp corp, WeComConnection connection)
        {
            var users = (await connection.Users.GetAllAsync().ValuesAsync()).ToDictionary(u => u.UserId);
            var expected = Range(1, 2000).Where(id => id != "u000021")
                .Concat(Range(2251, 250))
                .Concat(new[] { "renamed021" })
                .Concat(Enumerable.Range(1, 30).Select(NewUserId));
            Assert.Equal(expected.OrderBy(id => id), users.Keys.OrderBy(id => id));
            Assert.All(Enumerable.Range(1, 30), i => Assert.Equal("新成员" + i, users[NewUserId(i)].Name));
            Assert.All(Range(1, 20), id => Assert.Equal("架构师", users[id].Position));
            Assert.All(Range(22, 4), id => Assert.Equal(WeComUserStatus.Disabled, users[id].Status));

            var tree = await connection.Departments.GetTreeAsync(CancellationToken.None);
            Assert.Equal(35, tree.Count);
            Assert.All(Enumerable.Range(1, 5), i => Assert.Contains(tree, d => d.Id == 1000 + i && d.Name == "新部门" + i && d.ParentId == 1));
            Assert.DoesNotContain(tree, d => d.Name!.StartsWith("无号部门"));

            var tag = Assert.Single(await connection.Tags.GetAllAsync(CancellationToken.None));
            Assert.Equal((TagId, "故障标签B"), (tag.TagId, tag.TagName));
            var members = await connection.Tags.GetMembersAsync(TagId, CancellationToken.None);
            Assert.Equal(Range(401, 1200), members.OfType<WeComTagUser>().Select(m => m.UserId).OrderBy(id => id));
            Assert.Equal(Enumerable.Range(3, 10), members.OfType<WeComTagDepartment>().Select(m => m.DepartmentId!.Value).OrderBy(id => id));

            // A create or delete applied twice would have been refused the second time: each ran exactly once.
            Assert.Equal(30, corp.Sandbox.SucceededCount("user/create"));
            Assert.Equal(10, corp.Sandbox.SucceededCount("department/create"));
            Assert.Equal(2, corp.Sandbox.SucceededCount("tag/create"));
            Assert.Equal(2, corp.Sandbox.SucceededCount("user/batchdelete"));
            Assert.Equal(5, corp.Sandbox.SucceededCount("department/delete"));
            Assert.Equal(1, corp.Sandbox.SucceededCount("tag/delete"));
        }

        private static string NewUserId(int i) => "new" + i.ToString("D3");

        /// <summary>The generated userids u{start} to u{start + count - 1}.</summary>
        private static IEnumerable<string> Range(int start, int count) => Enumerable.Range(start, count).Select(n => "u" + n.ToString("D6"));
    }
}
