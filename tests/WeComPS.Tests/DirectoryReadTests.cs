using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    public class DirectoryReadTests
    {
        [Fact]
        public async Task Department_tree_has_full_paths_depths_and_tree_order()
        {
            await using var corp = await TestCorp.StartAsync();
            var tree = await corp.Connect().Departments.GetTreeAsync(CancellationToken.None);

            Assert.Equal(10, tree.Count);
            Assert.Equal("/广州研发中心", tree[0].Path);
            Assert.Equal(0, tree[0].Depth);
            var mailBackend = tree.Single(d => d.Id == 5);
            Assert.Equal("/广州研发中心/邮箱产品部/邮箱后台组", mailBackend.Path);
            Assert.Equal(2, mailBackend.Depth);
            // Siblings by descending order: 邮箱产品部 (300) before 微信产品部 (200); a subtree follows its root.
            Assert.Equal(new[] { 1, 2, 5, 6, 3, 7, 4, 8, 9, 10 }, tree.Select(d => d.Id).ToArray());
            Assert.Equal(new[] { "LiSi" }, tree.Single(d => d.Id == 2).Leaders);
            Assert.Equal(1, corp.Sandbox.CallCount("department/list"));
        }

        [Fact]
        public async Task Recursive_member_read_returns_each_member_once()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = await corp.Connect().Users.GetByDepartmentAsync(new[] { 1 }, recurse: true).ValuesAsync();

            Assert.Equal(24, users.Count);
            Assert.Equal(users.Count, users.Select(u => u.UserId).Distinct().Count());
            // One light tree call, then one call per department.
            Assert.Equal(1, corp.Sandbox.CallCount("department/simplelist"));
            Assert.Equal(10, corp.Sandbox.CallCount("user/list"));
        }

        [Fact]
        public async Task The_progress_of_a_member_read_names_each_department_by_path_and_id()
        {
            await using var corp = await TestCorp.StartAsync();
            var seen = new List<string>();
            var users = await corp.Connect().Users.GetByDepartmentAsync(new[] { 4 }, recurse: true, progress: new Reporter(p => seen.Add(p.Activity))).ValuesAsync();

            Assert.NotEmpty(users);
            Assert.Contains("Reading members of /广州研发中心/企业微信产品部/基础架构组 (8)", seen);
            Assert.Equal(3, seen.Count);

            // Where names cannot be read (a contacts-sync secret on a new IP), the ids, and no error.
            seen.Clear();
            await corp.Connect(WeComSandbox.SampleNewIpContactsSecret).Users.GetByDepartmentAsync(new[] { 8 }, recurse: false, progress: new Reporter(p => seen.Add(p.Activity))).ValuesAsync();
            Assert.Equal(new[] { "Reading members of department 8" }, seen);
        }

        private sealed class Reporter : IProgress<WeComProgress>
        {
            private readonly Action<WeComProgress> _report;

            public Reporter(Action<WeComProgress> report) => _report = report;

            public void Report(WeComProgress value) => _report(value);
        }

        [Fact]
        public async Task Reading_everyone_takes_one_tree_call_and_one_call_per_department()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = await corp.Connect().Users.GetAllAsync().ValuesAsync();

            Assert.Equal(24, users.Count);
            Assert.Equal(users.Count, users.Select(u => u.UserId).Distinct(System.StringComparer.OrdinalIgnoreCase).Count());
            Assert.Equal(1, corp.Sandbox.CallCount("department/simplelist"));
            Assert.Equal(10, corp.Sandbox.CallCount("user/list"));
        }

        [Fact]
        public async Task Members_of_overlapping_departments_are_deduplicated_across_roots()
        {
            await using var corp = await TestCorp.StartAsync();
            // LiSi is in 2 and 5, SunQi in 5 and 8; department 5 is also inside 2.
            var users = await corp.Connect().Users.GetByDepartmentAsync(new[] { 2, 5, 8 }, recurse: true).ValuesAsync();

            var ids = users.Select(u => u.UserId).ToList();
            Assert.Equal(ids.Distinct().Count(), ids.Count);
            Assert.Contains("LiSi", ids);
            Assert.Contains("SunQi", ids);
            Assert.Contains("MaLiu", ids);
            Assert.Equal(4, corp.Sandbox.CallCount("user/list")); // 2, 5, 6 and 8: department 5 read once
        }

        [Fact]
        public async Task Direct_members_only_without_recurse()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = await corp.Connect().Users.GetByDepartmentAsync(new[] { 2 }, recurse: false).ValuesAsync();

            Assert.Equal(new[] { "LiSi", "XiaoLiu" }, users.Select(u => u.UserId).OrderBy(x => x).ToArray());
        }

        [Fact]
        public async Task Full_records_carry_typed_fields()
        {
            await using var corp = await TestCorp.StartAsync();
            var user = (await corp.Connect().Users.GetAsync(new[] { "lisi" }).ValuesAsync()).Single();

            Assert.Equal("LiSi", user.UserId);
            Assert.Equal("李四", user.Name);
            Assert.Equal(new[] { 2, 5 }, user.Department);
            Assert.Equal(WeComGender.Male, user.Gender);
            Assert.Equal(WeComUserStatus.Active, user.Status);
            Assert.Equal(new[] { true, false }, user.IsLeaderInDept);
            Assert.StartsWith("138", user.Mobile);
            Assert.Equal("E1002", user.ExtAttr!["工号"]);
        }

        [Fact]
        public async Task Fields_withheld_from_new_apps_are_null_not_empty()
        {
            await using var corp = await TestCorp.StartAsync();
            var user = (await corp.Connect(WeComSandbox.SampleAppSecret).Users.GetAsync(new[] { "WangWu" }).ValuesAsync()).Single();

            Assert.Equal("王五", user.Name);
            Assert.Null(user.Mobile);
            Assert.Null(user.Email);
            Assert.Null(user.Gender);
            Assert.Null(user.Avatar);
            Assert.Null(user.Address);
            Assert.Null(user.QrCode);
            Assert.Null(user.BizMail);
            Assert.Equal("后台工程师", user.Position);
        }

        [Fact]
        public async Task Light_mode_reads_simplelist()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = await corp.Connect().Users.GetByDepartmentAsync(new[] { 4 }, recurse: true, simple: true).ValuesAsync();

            Assert.Equal(3, corp.Sandbox.CallCount("user/simplelist"));
            Assert.Equal(0, corp.Sandbox.CallCount("user/list"));
            Assert.All(users, u => Assert.Null(u.Mobile));
            Assert.Contains(users, u => u.UserId == "DongWu" && u.Department!.SequenceEqual(new[] { 3, 4 }));
        }

        [Fact]
        public async Task One_failed_user_is_reported_and_the_others_still_come_in_order()
        {
            await using var corp = await TestCorp.StartAsync();
            var results = await corp.Connect().Users.GetAsync(new[] { "WangWu", "nobody", "bad id!", "ZhaoLiu" }).ToListAsync();

            var invalid = results.Single(r => r.Error?.ErrorId == "InvalidUserId");
            Assert.Equal("bad id!", invalid.Target);
            var missing = results.Single(r => r.Error?.ErrorId == "UserNotFound");
            Assert.Equal(60111, missing.Error!.ErrCode);
            Assert.Equal("nobody", missing.Target);
            Assert.Contains("'nobody'", missing.Error.Message);
            Assert.Equal(new[] { "WangWu", "ZhaoLiu" }, results.Where(r => r.Error is null).Select(r => r.Value!.UserId).ToArray());
            Assert.Equal(3, corp.Sandbox.CallCount("user/get")); // the malformed id was never sent
        }

        [Fact]
        public async Task App_secret_sees_only_its_visible_scope()
        {
            await using var corp = await TestCorp.StartAsync();
            var app = corp.Connect(WeComSandbox.SampleAppSecret);

            var tree = await app.Departments.GetTreeAsync(CancellationToken.None);
            Assert.Equal(new[] { "/邮箱产品部", "/邮箱产品部/邮箱后台组", "/邮箱产品部/邮箱前端组" }, tree.Select(d => d.Path).ToArray());

            var results = await app.Users.GetByDepartmentAsync(new[] { 3 }, recurse: false).ToListAsync();
            var error = Assert.Single(results).Error!;
            Assert.Equal("NoPrivilege", error.ErrorId);
            Assert.Contains("通讯录同步", error.RecommendedAction);
        }

        [Fact]
        public async Task Tags_and_their_users_and_departments()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();

            var tags = await connection.Tags.GetAllAsync(CancellationToken.None);
            Assert.Equal(new[] { "技术委员会", "新员工", "值班" }, tags.Select(t => t.TagName).ToArray());

            var members = await connection.Tags.GetMembersAsync(1, CancellationToken.None);
            Assert.Equal(new[] { "HanYi", "SunQi", "WangWu" }, members.OfType<WeComTagUser>().Select(m => m.UserId).OrderBy(x => x).ToArray());
            Assert.Equal(8, Assert.Single(members.OfType<WeComTagDepartment>()).DepartmentId);
            Assert.Equal(4, members.Count);
            Assert.All(members, m => Assert.Equal("技术委员会", m.TagName));

            var error = await Assert.ThrowsAsync<WeComException>(() => connection.Tags.GetMembersAsync(99, CancellationToken.None));
            Assert.Equal("InvalidTagId", error.ErrorId);
        }

        [Fact]
        public async Task Department_reads_run_concurrently_but_within_the_bound()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.Latency = System.TimeSpan.FromMilliseconds(30);
            var connection = corp.Connect();
            connection.MaxConcurrency = 3;
            await connection.ValidateAsync(CancellationToken.None);

            var users = await connection.Users.GetByDepartmentAsync(new[] { 1 }, recurse: true).ValuesAsync();

            Assert.Equal(24, users.Count);
            Assert.Equal(3, corp.Sandbox.MaxConcurrentCalls);
        }
    }
}
