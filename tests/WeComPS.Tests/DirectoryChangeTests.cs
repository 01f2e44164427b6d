using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    public class DirectoryChangeTests
    {
        private static WeComUserChange NewUser(string userId, string? mobile = null) =>
            new WeComUserChange { UserId = userId, Name = "新人 " + userId, Mobile = mobile, Email = mobile is null ? userId + "@new.example.com" : null, Department = new[] { 5 } };

        private static void AddUsers(WeComSandbox sandbox, IEnumerable<string> userIds)
        {
            foreach (var id in userIds)
            {
                sandbox.AddUser(new SandboxUser { UserId = id, Name = id, Department = { 10 }, Order = { 0 }, IsLeaderInDept = { 0 }, Email = id + "@bulk.example.com" });
            }
        }

        [Fact]
        public async Task Creating_members_checks_every_one_first_reports_each_failure_and_creates_the_rest()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = corp.Connect().Users;
            var changes = new[]
            {
                NewUser("new.one"),
                new WeComUserChange { UserId = "no-contact", Name = "无联系方式" },
                NewUser("ZHANGSAN"),
                NewUser("new.two", mobile: "+86 13900000001"),
            };

            var results = await users.CreateAsync(changes).ToListAsync();

            var invalid = results.Single(r => Equals(r.Target, "no-contact")).Error!;
            Assert.Equal("MobileAndEmailMissing", invalid.ErrorId);
            Assert.Contains("mobile number or an email", invalid.Message);
            var taken = results.Single(r => Equals(r.Target, "ZHANGSAN")).Error!;
            Assert.Equal(60102, taken.ErrCode);
            Assert.StartsWith("User 'ZHANGSAN'", taken.Message);
            Assert.Equal(new[] { "new.one", "new.two" }, results.Where(r => r.Error is null).Select(r => r.Value!.UserId));
            // The invalid member never reached WeCom; the others each took one call.
            Assert.Equal(3, corp.Sandbox.CallCount("user/create"));

            var created = await users.GetAsync(new[] { "new.two" }).ValuesAsync();
            Assert.Equal("+86 13900000001", created[0].Mobile);
            Assert.Equal(new[] { 5 }, created[0].Department);
            Assert.Equal(WeComUserStatus.NotActivated, created[0].Status);
        }

        [Theory]
        [InlineData("bad id!", "Name", null, null, "InvalidUserId", "not a valid userid")]
        [InlineData("ok", "", "a@b.cn", null, "InvalidUserName", "must be 1 to 64 characters")]
        [InlineData("ok", "名字", "not-an-email", null, "InvalidEmail", "not an email address")]
        [InlineData("ok", "名字", "a@b.c", null, "InvalidEmail", "6 to 64 characters")]
        [InlineData("ok", "名字", null, "138-abc", "InvalidMobile", "+<country code> <number>")]
        [InlineData("ok", "名字", null, "+86 1380000000000000000000", "InvalidMobile", "5 to 20 digits")]
        [InlineData("ok", "名字", null, "+12345 13800000000", "InvalidMobile", "1 to 4 digits")]
        public void A_member_change_is_refused_before_sending_with_the_rule_it_breaks(string userId, string name, string? email, string? mobile, string errorId, string reason)
        {
            var error = new WeComUserChange { UserId = userId, Name = name, Email = email ?? "x@y.cn", Mobile = mobile }.Validate(creating: true);
            Assert.NotNull(error);
            Assert.Equal(errorId, error!.ErrorId);
            Assert.Contains(reason, error.Message);
        }

        [Theory]
        [InlineData("13800000000")]
        [InlineData("+86 13800000000")]
        [InlineData("+8613800000000")]
        [InlineData("+852 51234567")]
        [InlineData("+1-2065550100")]
        public void WeComs_mobile_forms_pass(string mobile) =>
            Assert.Null(new WeComUserChange { UserId = "ok", Name = "名字", Mobile = mobile }.Validate(creating: true));

        [Fact]
        public void Department_and_tag_rules_have_their_own_ids()
        {
            Assert.Equal("InvalidDepartmentName", new WeComDepartmentChange { Name = "a|b", ParentId = 1 }.Validate(creating: true)!.ErrorId);
            Assert.Equal("InvalidDepartmentId", new WeComDepartmentChange { Name = "ok", ParentId = 0 }.Validate(creating: true)!.ErrorId);
            Assert.Equal("ParentDepartmentMissing", new WeComDepartmentChange { Name = "ok" }.Validate(creating: true)!.ErrorId);
            Assert.Equal("InvalidTagName", new WeComTagChange { TagName = new string('标', 33) }.Validate(creating: true)!.ErrorId);
            Assert.Equal("InvalidTagId", new WeComTagChange { TagId = -1, TagName = "ok" }.Validate(creating: true)!.ErrorId);
            Assert.Equal("InvalidOrder", new WeComUserChange { UserId = "u", Department = new[] { 2 }, Order = new long[] { -1 } }.Validate(creating: false)!.ErrorId);
            Assert.Equal("TooManyDirectLeaders", new WeComUserChange { UserId = "u", DirectLeader = new[] { "a", "b" } }.Validate(creating: false)!.ErrorId);
        }

        [Fact]
        public void Department_lists_must_match_and_stay_within_limits()
        {
            var mismatched = new WeComUserChange { UserId = "u", Department = new[] { 2, 5 }, Order = new long[] { 1 } }.Validate(creating: false);
            Assert.Contains("1 order value(s) for 2 department(s)", mismatched!.Message);
            var tooMany = new WeComUserChange { UserId = "u", Department = Enumerable.Range(1, 101).ToArray() }.Validate(creating: false);
            Assert.Contains("101 departments", tooMany!.Message);
            Assert.Null(new WeComUserChange { UserId = "u", Department = new[] { 2, 5 }, Order = new long[] { 1, 4294967295 } }.Validate(creating: false));
        }

        [Fact]
        public void A_change_with_nothing_to_change_is_refused()
        {
            Assert.Contains("nothing to change", new WeComUserChange { UserId = "u" }.CheckChangesSomething()!.Message);
            Assert.Contains("nothing to change", new WeComDepartmentChange { Id = 6 }.CheckChangesSomething()!.Message);
            Assert.Null(new WeComDepartmentChange { Id = 6, Order = 1 }.CheckChangesSomething());
        }

        [Fact]
        public async Task Updating_changes_only_the_given_fields_and_can_rename_the_userid()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = corp.Connect().Users;

            var results = await users.UpdateAsync(new[]
            {
                new WeComUserChange { UserId = "WangWu", Position = "技术专家" },
                new WeComUserChange { UserId = "XiaoLiu", NewUserId = "xiaoliu.pm" },
                new WeComUserChange { UserId = "nobody", Position = "x" },
            }).ToListAsync();

            Assert.Equal(new[] { "WangWu", "xiaoliu.pm" }, results.Where(r => r.Error is null).Select(r => r.Value));
            Assert.Equal("UserNotFound", results.Single(r => r.Error != null).Error!.ErrorId);
            var wangWu = (await users.GetAsync(new[] { "WangWu" }).ValuesAsync()).Single();
            Assert.Equal("技术专家", wangWu.Position);
            Assert.Equal("王五", wangWu.Name);
            // The renamed member keeps its tag.
            var members = await corp.Connect().Tags.GetMembersAsync(2, CancellationToken.None);
            Assert.Contains(members.OfType<WeComTagUser>(), m => m.UserId == "xiaoliu.pm");
        }

        [Fact]
        public async Task A_create_whose_answer_was_lost_and_cannot_be_checked_is_reported_as_unknown_not_as_taken()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.Inject("user/create", SandboxFault.ConnectionReset(afterApply: true));
            // The check reads the member back; a contacts-sync IP added since 2022-08-15 may not call user/get.
            corp.Sandbox.Inject("user/get", SandboxFault.Error(60011));

            var result = (await corp.Connect().Users.CreateAsync(new[] { NewUser("lost.answer") }).ToListAsync()).Single();

            Assert.Equal("WriteOutcomeUnknown", result.Error!.ErrorId);
            Assert.Contains("60102", result.Error.Message);
            Assert.Equal(2, corp.Sandbox.CallCount("user/create"));
        }

        [Fact]
        public async Task Disabling_and_enabling_members_switches_their_status()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = corp.Connect().Users;

            await users.SetEnabledAsync(new[] { "WangWu", "wangwu", "ZhaoLiu" }, enabled: false).ValuesAsync();
            Assert.All(await users.GetAsync(new[] { "WangWu", "ZhaoLiu" }).ValuesAsync(), u => Assert.Equal(WeComUserStatus.Disabled, u.Status));
            Assert.Equal(2, corp.Sandbox.CallCount("user/update"));

            await users.SetEnabledAsync(new[] { "WangWu" }, enabled: true).ValuesAsync();
            Assert.Equal(WeComUserStatus.Active, (await users.GetAsync(new[] { "WangWu" }).ValuesAsync()).Single().Status);
        }

        [Fact]
        public async Task Batch_delete_sends_200_per_call_isolates_unknown_ids_and_deletes_all_others()
        {
            await using var corp = await TestCorp.StartAsync();
            var bulk = Enumerable.Range(1, 450).Select(i => $"bulk{i:000}").ToList();
            AddUsers(corp.Sandbox, bulk);
            var wanted = bulk.Take(100).Concat(new[] { "ghost1" }).Concat(bulk.Skip(100)).Concat(new[] { "ghost2", "bad id" }).ToList();

            var results = await corp.Connect().Users.DeleteAsync(wanted).ToListAsync();

            var failures = results.Where(r => r.Error != null).ToDictionary(r => (string)r.Target!, r => r.Error!);
            Assert.Equal(new[] { "bad id", "ghost1", "ghost2" }, failures.Keys.OrderBy(k => k, System.StringComparer.Ordinal));
            Assert.Equal("InvalidUserId", failures["bad id"].ErrorId);
            Assert.Equal("UserNotFound", failures["ghost1"].ErrorId);
            Assert.StartsWith("User 'ghost2'", failures["ghost2"].Message);
            Assert.Equal(450, results.Count(r => r.Error is null));
            var left = await corp.Connect().Users.GetByDepartmentAsync(new[] { 10 }, recurse: false).ValuesAsync();
            Assert.DoesNotContain(left, u => u.UserId.StartsWith("bulk", System.StringComparison.Ordinal));
            // The userids are read first (one user/list_id call): the unknown ones are never sent, so three groups of at most 200 go through whole.
            Assert.Equal(3, corp.Sandbox.CallCount("user/batchdelete"));
            Assert.Equal(1, corp.Sandbox.CallCount("user/list_id"));
        }

        [Fact]
        public async Task A_secret_that_may_not_write_stops_the_run_with_one_error()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = corp.Connect(WeComSandbox.SampleAppSecret).Users;

            var error = await Assert.ThrowsAsync<WeComException>(() => users.DeleteAsync(new[] { "WangWu", "ZhaoLiu", "LiSi" }).ToListAsync());

            Assert.Equal(48002, error.ErrCode);
            // The userids are read first with user/list_id, which an app secret may not call either: nothing is deleted.
            Assert.Equal(1, corp.Sandbox.CallCount("user/list_id"));
            Assert.Equal(0, corp.Sandbox.CallCount("user/batchdelete"));
        }

        [Fact]
        public async Task Tagging_sends_1000_users_and_100_departments_per_call_and_reports_the_invalid_ones()
        {
            await using var corp = await TestCorp.StartAsync();
            var bulk = Enumerable.Range(1, 2500).Select(i => $"t{i:0000}").ToList();
            AddUsers(corp.Sandbox, bulk);
            for (var id = 100; id < 250; id++)
            {
                corp.Sandbox.AddDepartment(new SandboxDepartment { Id = id, Name = "部门" + id, ParentId = 10 });
            }

            var tags = corp.Connect().Tags;
            var users = bulk.Concat(new[] { "ghost" });
            var departments = Enumerable.Range(100, 150).Concat(new[] { 9999 });
            var results = await tags.AddMembersAsync(3, users, departments).ToListAsync();

            Assert.Equal(3, corp.Sandbox.CallCount("tag/addtagusers"));
            var failures = results.Where(r => r.Error != null).ToList();
            // In call order: department 9999 went in the second call, user 2,501 (ghost) in the third.
            Assert.Equal(new object[] { 9999, "ghost" }, failures.Select(f => f.Target));
            Assert.All(failures, f => Assert.Equal("TagMemberRejected", f.Error!.ErrorId));
            Assert.Contains("User 'ghost' was not added to tag 3", failures[1].Error!.Message);
            var members = await tags.GetMembersAsync(3, CancellationToken.None);
            Assert.Equal(2500, members.OfType<WeComTagUser>().Count());
            Assert.Equal(150, members.OfType<WeComTagDepartment>().Count());
            Assert.IsType<WeComTagUser>(results.First(r => r.Error is null).Value);

            var removed = await tags.RemoveMembersAsync(3, bulk.Take(10), new[] { 100 }).ValuesAsync();
            Assert.Equal(11, removed.Count);
            Assert.Equal(2490 + 149, (await tags.GetMembersAsync(3, CancellationToken.None)).Count);
        }

        [Fact]
        public async Task When_every_target_is_invalid_each_is_reported_with_WeComs_errcode()
        {
            await using var corp = await TestCorp.StartAsync();
            var results = await corp.Connect().Tags.AddMembersAsync(3, new[] { "ghost1", "ghost2" }, new int[0]).ToListAsync();

            Assert.Equal(2, results.Count);
            Assert.All(results, r => Assert.Equal(40070, r.Error!.ErrCode));
            Assert.StartsWith("User 'ghost1'", results[0].Error!.Message);
        }

        [Fact]
        public async Task A_tag_of_another_app_fails_once_for_the_tag_not_once_per_member()
        {
            await using var corp = await TestCorp.StartAsync();
            var tags = corp.Connect(WeComSandbox.SampleAppSecret).Tags;

            var error = await Assert.ThrowsAsync<WeComException>(() => tags.AddMembersAsync(1, new[] { "LiSi", "WangWu" }, new int[0]).ToListAsync());

            Assert.Equal(81011, error.ErrCode);
            Assert.StartsWith("Tag 1:", error.Message);
        }

        [Fact]
        public async Task Tags_are_created_renamed_and_deleted_by_their_owner()
        {
            await using var corp = await TestCorp.StartAsync();
            var tags = corp.Connect(WeComSandbox.SampleAppSecret).Tags;

            var created = await tags.CreateAsync(new[] { new WeComTagChange { TagName = "邮件值班" }, new WeComTagChange { TagName = "值班" } }).ToListAsync();
            var tag = created[0].Value!;
            Assert.True(tag.TagId > 3);
            Assert.Equal("TagNameExists", created[1].Error!.ErrorId);

            await tags.RenameAsync(new[] { new WeComTagChange { TagId = tag.TagId, TagName = "邮件值班组" } }).ValuesAsync();
            Assert.Contains(await tags.GetAllAsync(CancellationToken.None), t => t.TagId == tag.TagId && t.TagName == "邮件值班组");

            var deleted = await tags.DeleteAsync(new[] { tag.TagId, 1 }).ToListAsync();
            Assert.Equal(tag.TagId, deleted[0].Value);
            Assert.Equal(81011, deleted[1].Error!.ErrCode);
            Assert.DoesNotContain(await tags.GetAllAsync(CancellationToken.None), t => t.TagId == tag.TagId);
        }

        [Fact]
        public async Task Departments_are_created_in_order_and_removed_deepest_first()
        {
            await using var corp = await TestCorp.StartAsync();
            var departments = corp.Connect().Departments;

            var created = await departments.CreateAsync(new[]
            {
                new WeComDepartmentChange { Id = 50, Name = "华南销售部", ParentId = 1, Order = 10 },
                new WeComDepartmentChange { Id = 51, Name = "深圳组", ParentId = 50 },
                new WeComDepartmentChange { Name = "深圳组", ParentId = 50 },
                new WeComDepartmentChange { Name = "bad|name", ParentId = 50 },
            }).ToListAsync();

            // Every item is checked before the first request, so the refused one comes first.
            Assert.Equal("InvalidDepartmentName", created[0].Error!.ErrorId);
            Assert.Equal(new[] { 50, 51 }, created.Where(r => r.Error is null).Select(r => r.Value!.Id));
            Assert.Equal(60008, created[3].Error!.ErrCode);
            Assert.Equal(3, corp.Sandbox.CallCount("department/create"));

            // Listed parent first; removed child first, so both go.
            var removed = await departments.DeleteAsync(new[] { 50, 51, 10 }).ToListAsync();
            Assert.Equal(new[] { 51, 50 }, removed.Where(r => r.Error is null).Select(r => r.Value));
            Assert.Equal(60005, removed.Single(r => r.Error != null).Error!.ErrCode);
            Assert.DoesNotContain(await departments.GetTreeAsync(CancellationToken.None), d => d.Id == 50 || d.Id == 51);
        }

        [Fact]
        public async Task Moving_a_department_below_itself_is_refused()
        {
            await using var corp = await TestCorp.StartAsync();
            var departments = corp.Connect().Departments;

            var results = await departments.UpdateAsync(new[]
            {
                new WeComDepartmentChange { Id = 2, ParentId = 5 },
                new WeComDepartmentChange { Id = 6, ParentId = 3, Name = "前端组" },
            }).ToListAsync();

            Assert.Equal(60010, results[0].Error!.ErrCode);
            Assert.Equal(6, results[1].Value);
            var moved = (await departments.GetTreeAsync(CancellationToken.None)).Single(d => d.Id == 6);
            Assert.Equal("/广州研发中心/微信产品部/前端组", moved.Path);
        }

        [Fact]
        public async Task Userids_are_found_by_mobile_and_email_and_converted_to_openids()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = corp.Connect().Users;

            var found = await users.FindUserIdAsync(new[]
            {
                new WeComUserLookup { Mobile = "13810000001" },
                new WeComUserLookup { Email = "lisi@sandbox.wecom.work" },
                new WeComUserLookup { Email = "wangwu@example.com", EmailType = WeComEmailType.Personal },
                new WeComUserLookup { Mobile = "13899999999" },
            }).ToListAsync();

            Assert.Equal(new[] { "ZhangSan", "LiSi", "WangWu" }, found.Take(3).Select(r => r.Value!.UserId));
            Assert.Equal(46004, found[3].Error!.ErrCode);
            Assert.Equal("13899999999", found[3].Target);

            var openIds = await users.ConvertToOpenIdAsync(new[] { "ZhangSan", "ZhengShi" }).ToListAsync();
            Assert.False(string.IsNullOrEmpty(openIds[0].Value!.OpenId));
            Assert.Equal(43004, openIds[1].Error!.ErrCode);
        }

        [Fact]
        public async Task Invitations_report_the_targets_WeCom_names_invalid()
        {
            await using var corp = await TestCorp.StartAsync();
            var results = await corp.Connect().Users.InviteAsync(new[] { "ZhengShi", "ghost" }, new[] { 6, 999 }, new[] { 2 }).ToListAsync();

            Assert.Equal(1, corp.Sandbox.CallCount("batch/invite"));
            Assert.Equal(new object[] { "ghost", 999 }, results.Where(r => r.Error != null).Select(r => r.Target));
            Assert.All(results.Where(r => r.Error != null), r => Assert.Equal("InvitationRejected", r.Error!.ErrorId));
            Assert.Equal(3, results.Count(r => r.Error is null));
        }

        [Fact]
        public async Task Any_api_can_be_called_with_the_connection_but_never_hands_out_the_token()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();

            var user = await connection.InvokeAsync("GET", "/cgi-bin/user/get", new Dictionary<string, string> { ["userid"] = "LiSi" }, null, CancellationToken.None);
            Assert.Equal("李四", user["name"]);
            Assert.Equal(new object[] { 2L, 5L }, (object[])user["department"]!);
            Assert.False(user.ContainsKey("errcode"));

            var created = await connection.InvokeAsync("POST", "tag/create", null, "{\"tagname\":\"临时\"}", CancellationToken.None);
            Assert.IsType<long>(created["tagid"]);

            var refused = await Assert.ThrowsAsync<WeComException>(() => connection.InvokeAsync("GET", "gettoken", null, null, CancellationToken.None));
            Assert.Equal("InvalidApiPath", refused.ErrorId);
            var reserved = await Assert.ThrowsAsync<WeComException>(() => connection.InvokeAsync("GET", "user/get", new Dictionary<string, string> { ["access_token"] = "x" }, null, CancellationToken.None));
            Assert.Equal("ReservedQueryParameter", reserved.ErrorId);
            var failed = await Assert.ThrowsAsync<WeComException>(() => connection.InvokeAsync("POST", "tag/create", null, new Dictionary<string, object> { ["tagname"] = "临时" }, CancellationToken.None));
            Assert.Equal(40071, failed.ErrCode);
        }
    }
}
