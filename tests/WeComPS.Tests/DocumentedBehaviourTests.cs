using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>Smaller points where WeCom's documentation says what happens, in the sandbox and in the client.</summary>
    public class DocumentedBehaviourTests
    {
        private static int Code(System.Text.Json.Nodes.JsonObject answer) => (int)answer["errcode"]!;

        [Fact]
        public async Task A_member_who_never_activated_is_not_activated_again_by_disable_and_enable()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            await connection.Users.UpdateAsync(new[] { new WeComUserChange { UserId = "ZhengShi", Enable = false } }).ValuesAsync();
            Assert.Equal(WeComUserStatus.Disabled, (await connection.Users.GetAsync(new[] { "ZhengShi" }).ValuesAsync()).Single().Status);

            await connection.Users.UpdateAsync(new[] { new WeComUserChange { UserId = "ZhengShi", Enable = true }, new WeComUserChange { UserId = "LiangBa", Enable = true } }).ValuesAsync();

            var users = await connection.Users.GetAsync(new[] { "ZhengShi", "LiangBa" }).ValuesAsync();
            Assert.Equal(WeComUserStatus.NotActivated, users.Single(u => u.UserId == "ZhengShi").Status);
            Assert.Equal(WeComUserStatus.Active, users.Single(u => u.UserId == "LiangBa").Status);
        }

        [Fact]
        public async Task Writes_answer_created_updated_and_deleted()
        {
            await using var corp = await TestCorp.StartAsync();

            Assert.Equal("created", (string?)(await corp.CallAsync("user/create", "{\"userid\":\"w1\",\"name\":\"写\",\"email\":\"w1@example.com\"}"))["errmsg"]);
            Assert.Equal("updated", (string?)(await corp.CallAsync("user/update", "{\"userid\":\"w1\",\"position\":\"工程师\"}"))["errmsg"]);
            Assert.Equal("deleted", (string?)(await corp.CallAsync("user/delete?userid=w1"))["errmsg"]);
            Assert.Equal("created", (string?)(await corp.CallAsync("department/create", "{\"name\":\"新部门\",\"parentid\":1}"))["errmsg"]);
            Assert.Equal("ok", (string?)(await corp.CallAsync("department/list"))["errmsg"]);
        }

        [Fact]
        public async Task The_external_profile_is_read_into_the_member_and_can_be_set()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();

            var zhangsan = (await connection.Users.GetAsync(new[] { "ZhangSan" }).ValuesAsync()).Single();
            Assert.Equal(("广州研发中心", "研发中心视频号", 1), (zhangsan.ExternalProfile!.CorpName, zhangsan.ExternalProfile.WeChatChannelsNickname, zhangsan.ExternalProfile.WeChatChannelsStatus));
            Assert.Equal("020-88888888", zhangsan.ExternalProfile.Attributes!["对外电话"]);
            Assert.Equal("https://example.com", zhangsan.ExternalProfile.Attributes["官网"]);
            Assert.Equal("总经理", zhangsan.ExternalPosition);

            var change = new WeComUserChange { UserId = "LiSi", ExternalCorpName = "邮箱产品部", ExternalAttr = new System.Collections.Generic.Dictionary<string, string> { ["对外电话"] = "020-1" } };
            await connection.Users.UpdateAsync(new[] { change }).ValuesAsync();

            var lisi = (await connection.Users.GetAsync(new[] { "LiSi" }).ValuesAsync()).Single();
            Assert.Equal("邮箱产品部", lisi.ExternalProfile!.CorpName);
            Assert.Equal("020-1", lisi.ExternalProfile.Attributes!["对外电话"]);
            Assert.Null((await connection.Users.GetAsync(new[] { "WangWu" }).ValuesAsync()).Single().ExternalProfile);
        }

        [Fact]
        public async Task A_tag_over_30000_users_and_departments_is_81003()
        {
            var sandbox = WeComSandbox.CreateSample();
            sandbox.AddTag(new SandboxTag { Id = 9, Name = "大", OwnerSecret = WeComSandbox.SampleContactsSecret, Users = Enumerable.Range(0, 30000).Select(i => "u" + i).ToList() });
            await using var corp = await TestCorp.StartAsync(sandbox);

            Assert.Equal(81003, Code(await corp.CallAsync("tag/addtagusers", "{\"tagid\":9,\"userlist\":[\"LiSi\"]}")));
            Assert.Equal("TagTooLarge", WeComErrorCatalog.Describe(81003).ErrorId);
        }

        [Fact]
        public async Task Leader_flags_that_do_not_match_the_departments_are_60132()
        {
            await using var corp = await TestCorp.StartAsync();

            Assert.Equal(60132, Code(await corp.CallAsync("user/update", "{\"userid\":\"LiSi\",\"is_leader_in_dept\":[1]}")));
            Assert.Equal("LeaderFlagsMismatch", WeComErrorCatalog.Describe(60132).ErrorId);
        }

        [Fact]
        public async Task A_userid_wecom_generated_is_renamed_once_and_a_chosen_one_as_often_as_wanted()
        {
            var sandbox = WeComSandbox.CreateSample();
            sandbox.AddUser(new SandboxUser { UserId = "wo9a8b7c", Name = "自动", Department = { 1 }, Order = { 0 }, IsLeaderInDept = { 0 }, Email = "auto@example.com", GeneratedUserId = true });
            await using var corp = await TestCorp.StartAsync(sandbox);

            Assert.Equal(0, Code(await corp.CallAsync("user/update", "{\"userid\":\"wo9a8b7c\",\"new_userid\":\"auto1\"}")));
            Assert.Equal(40058, Code(await corp.CallAsync("user/update", "{\"userid\":\"auto1\",\"new_userid\":\"auto2\"}")));
            Assert.Equal(0, Code(await corp.CallAsync("user/update", "{\"userid\":\"LiSi\",\"new_userid\":\"lisi1\"}")));
            Assert.Equal(0, Code(await corp.CallAsync("user/update", "{\"userid\":\"lisi1\",\"new_userid\":\"lisi2\"}")));
        }

        [Fact]
        public async Task A_corp_bound_to_Tencent_Exmail_ignores_a_new_email_on_update_but_not_on_create()
        {
            var sandbox = WeComSandbox.CreateSample();
            sandbox.ExmailBound = true;
            await using var corp = await TestCorp.StartAsync(sandbox);
            var connection = corp.Connect();
            var before = (await connection.Users.GetAsync(new[] { "LiSi" }).ValuesAsync()).Single().Email;

            Assert.Equal(0, Code(await corp.CallAsync("user/update", "{\"userid\":\"LiSi\",\"email\":\"li.si@example.com\",\"position\":\"架构师\"}")));
            Assert.Equal(0, Code(await corp.CallAsync("user/create", "{\"userid\":\"exmail.new\",\"name\":\"新人\",\"email\":\"exmail.new@example.com\",\"department\":[1]}")));

            var lisi = (await connection.Users.GetAsync(new[] { "LiSi" }).ValuesAsync()).Single();
            Assert.Equal((before, "架构师"), (lisi.Email, lisi.Position));
            Assert.Equal("exmail.new@example.com", (await connection.Users.GetAsync(new[] { "exmail.new" }).ValuesAsync()).Single().Email);
        }

        [Fact]
        public async Task A_new_mobile_is_ignored_for_an_activated_member_and_the_client_warns_about_it()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            var log = new Warnings();

            using (WeComLog.Listen(log))
            {
                await connection.Users.UpdateAsync(new[] { new WeComUserChange { UserId = "LiSi", Mobile = "13912345678" }, new WeComUserChange { UserId = "ZhengShi", Mobile = "13912345679" } }).ValuesAsync();
            }

            var users = await connection.Users.GetAsync(new[] { "LiSi", "ZhengShi" }).ValuesAsync();
            Assert.NotEqual("13912345678", users.Single(u => u.UserId == "LiSi").Mobile);
            Assert.Equal("13912345679", users.Single(u => u.UserId == "ZhengShi").Mobile);
            Assert.Single(log.Lines, l => l.Contains("activated"));
        }

        [Fact]
        public async Task A_member_has_at_most_one_direct_leader()
        {
            await using var corp = await TestCorp.StartAsync();

            Assert.Equal(40058, Code(await corp.CallAsync("user/update", "{\"userid\":\"WangWu\",\"direct_leader\":[\"LiSi\",\"ZhangSan\"]}")));
            var refused = (await corp.Connect().Users.UpdateAsync(new[] { new WeComUserChange { UserId = "WangWu", DirectLeader = new[] { "LiSi", "ZhangSan" } } }).ToListAsync()).Single();
            Assert.Contains("at most one", refused.Error!.Message);
            Assert.Equal(0, corp.Sandbox.CallCount("user/update") - 1);
        }

        [Fact]
        public async Task System_busy_is_retried_at_most_three_times()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.Inject("tag/list", SandboxFault.Error(-1), times: 10);

            var error = await Assert.ThrowsAsync<WeComException>(() => corp.Connect(maxAttempts: 10).Tags.GetAllAsync(CancellationToken.None));

            Assert.Equal(-1, error.ErrCode);
            Assert.Equal(4, corp.Sandbox.CallCount("tag/list"));
        }

        [Fact]
        public async Task An_import_never_sends_a_blank_cell_for_an_existing_member()
        {
            await using var corp = await TestCorp.StartAsync();
            var rows = new[]
            {
                new WeComUserChange { UserId = "WangWu", Position = "后台负责人" },
                new WeComUserChange { UserId = "new.one", Name = "新人", Mobile = "13900000077", Department = new[] { 5 } },
            };

            var plan = await corp.Connect().Jobs.PlanUsersAsync(rows, replace: false, null, CancellationToken.None);
            var limited = await corp.Connect(WeComSandbox.SampleNewIpContactsSecret).Jobs.PlanUsersAsync(rows, replace: false, null, CancellationToken.None);

            Assert.Empty(plan.Invalid);
            var wangwu = plan.Csv.Split("\r\n").Single(l => l.Contains(",WangWu,"));
            Assert.Equal("王五,WangWu,13810000003,5,后台负责人", wangwu);
            Assert.Contains("新人,new.one,13900000077,5,", plan.Csv);
            var refused = Assert.Single(limited.Invalid);
            Assert.Equal(("BlankImportCell", "WangWu"), (refused.Error!.ErrorId, refused.Target));
            Assert.Contains("姓名", refused.Error.Message);
            Assert.Equal(1, limited.Rows);
        }

        private sealed class Warnings : IWeComLogListener
        {
            public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new System.Collections.Concurrent.ConcurrentQueue<string>();

            public void Verbose(string message)
            {
            }

            public void Debug(string message)
            {
            }

            public void Warning(string message) => Lines.Enqueue(message);
        }
    }
}
