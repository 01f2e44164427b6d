using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>
    /// The secrets a real corp's admin meets (a contacts-sync secret from an old and from a new IP, apps of every visible
    /// scope, an app whose trusted IPs leave the caller out), as the sandbox serves them, and one connection holding a
    /// contacts-sync secret and an app secret that sends each call to a secret WeCom allows for it.
    /// </summary>
    public class SecretsTests
    {
        private const string NewIp = WeComSandbox.SampleNewIpContactsSecret;
        private const string DirectoryApp = WeComSandbox.SampleDirectoryAppSecret;

        private static int Code(JsonObject answer) => (int)answer["errcode"]!;

        [Theory]
        [InlineData("user/get?userid=LiSi", null)]
        [InlineData("user/list?department_id=1", null)]
        [InlineData("user/simplelist?department_id=1", null)]
        [InlineData("department/list", null)]
        [InlineData("department/get?id=2", null)]
        [InlineData("export/simple_user", "{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2\"}")]
        [InlineData("export/user", "{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2\"}")]
        [InlineData("export/department", "{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2\"}")]
        public async Task A_contacts_sync_secret_from_a_new_ip_is_refused_names_and_details(string path, string? body)
        {
            await using var corp = await TestCorp.StartAsync();

            Assert.Equal(48009, Code(await corp.CallAsync(path, body, NewIp)));
            Assert.Equal(0, Code(await corp.CallAsync(path, body)));
        }

        [Theory]
        [InlineData("department/simplelist", null)]
        [InlineData("user/list_id", "{}")]
        [InlineData("tag/list", null)]
        [InlineData("tag/get?tagid=1", null)]
        [InlineData("tag/addtagusers", "{\"tagid\":3,\"userlist\":[\"LiSi\"]}")]
        [InlineData("user/update", "{\"userid\":\"LiSi\",\"position\":\"总监\"}")]
        [InlineData("export/taguser", "{\"tagid\":1,\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2\"}")]
        public async Task A_contacts_sync_secret_from_a_new_ip_still_reads_ids_writes_and_edits_its_tags(string path, string? body)
        {
            await using var corp = await TestCorp.StartAsync();

            Assert.Equal(0, Code(await corp.CallAsync(path, body, NewIp)));
        }

        [Fact]
        public async Task An_app_seeing_the_whole_corp_reads_every_detail_but_the_withheld_fields()
        {
            await using var corp = await TestCorp.StartAsync();

            Assert.Equal(10, (await corp.CallAsync("department/list", null, DirectoryApp))["department"]!.AsArray().Count);
            var lisi = await corp.CallAsync("user/get?userid=LiSi", null, DirectoryApp);
            Assert.Equal(("李四", "产品总监"), ((string?)lisi["name"], (string?)lisi["position"]));
            foreach (var withheld in new[] { "mobile", "email", "gender", "avatar", "biz_mail", "qr_code", "address" })
            {
                Assert.False(lisi.ContainsKey(withheld), withheld);
            }

            Assert.Equal(48002, Code(await corp.CallAsync("user/list_id", "{}", DirectoryApp)));
        }

        [Theory]
        [InlineData("department/simplelist")]
        [InlineData("user/get?userid=LiSi")]
        [InlineData("tag/list")]
        public async Task An_app_whose_trusted_ips_leave_the_caller_out_gets_60020_for_every_call(string path)
        {
            await using var corp = await TestCorp.StartAsync();

            Assert.Equal(60020, Code(await corp.CallAsync(path, null, WeComSandbox.SampleUntrustedAppSecret)));
        }

        [Fact]
        public async Task A_visible_scope_names_departments_members_and_tags()
        {
            await using var corp = await TestCorp.StartAsync();
            const string scoped = WeComSandbox.SampleScopedAppSecret;

            // 支付组 (7) itself, and 基础架构组 (8) through the tag 技术委员会.
            var departments = (await corp.CallAsync("department/list", null, scoped))["department"]!.AsArray().Select(d => (int)d!["id"]!);
            Assert.Equal(new[] { 7, 8 }, departments.OrderBy(id => id));
            Assert.Equal(0, Code(await corp.CallAsync("user/get?userid=ZhangSan", null, scoped)));
            Assert.Equal(0, Code(await corp.CallAsync("user/get?userid=HanYi", null, scoped)));
            Assert.Equal(0, Code(await corp.CallAsync("user/get?userid=HuangEr", null, scoped)));
            Assert.Equal(60011, Code(await corp.CallAsync("user/get?userid=LiSi", null, scoped)));
            Assert.Equal(60011, Code(await corp.CallAsync("user/list?department_id=2", null, scoped)));
        }

        [Fact]
        public async Task Only_the_secret_that_started_an_export_reads_its_result()
        {
            await using var corp = await TestCorp.StartAsync();
            var started = await corp.CallAsync("export/department", "{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wfg2\"}", DirectoryApp);
            var path = "export/get_result?jobid=" + (string?)started["jobid"];

            Assert.Equal(40088, Code(await corp.CallAsync(path)));
            Assert.Equal(0, Code(await corp.CallAsync(path, null, DirectoryApp)));
        }

        [Fact]
        public async Task An_export_key_must_be_43_letters_and_digits()
        {
            await using var corp = await TestCorp.StartAsync();

            Assert.Equal(40058, Code(await corp.CallAsync("export/department", "{\"encoding_aeskey\":\"IJUiXNpvGbODwKEBSEsAeOAPAhkqHqNCF6g19t9wf+2\"}")));
            for (var i = 0; i < 200; i++)
            {
                var key = WeComExportCrypto.NewKey();
                Assert.Matches("^[A-Za-z0-9]{43}$", key);
                Assert.Equal(32, WeComExportCrypto.KeyOf(key).Length);
            }
        }

        [Fact]
        public async Task The_contacts_sync_secret_may_edit_the_tags_of_the_super_admin_group_but_not_an_apps()
        {
            var sandbox = WeComSandbox.CreateSample();
            sandbox.AddTag(new SandboxTag { Id = 20, Name = "管理员建", OwnerSecret = "admin-console", CreatedBySuperAdmin = true });
            sandbox.AddTag(new SandboxTag { Id = 21, Name = "应用建", OwnerSecret = WeComSandbox.SampleAppSecret });
            await using var corp = await TestCorp.StartAsync(sandbox);

            Assert.Equal(0, Code(await corp.CallAsync("tag/addtagusers", "{\"tagid\":20,\"userlist\":[\"LiSi\"]}", NewIp)));
            Assert.Equal(81011, Code(await corp.CallAsync("tag/addtagusers", "{\"tagid\":21,\"userlist\":[\"LiSi\"]}", NewIp)));
            Assert.Equal(81011, Code(await corp.CallAsync("tag/addtagusers", "{\"tagid\":20,\"userlist\":[\"LiSi\"]}", DirectoryApp)));
        }

        [Fact]
        public async Task With_both_secrets_details_go_to_the_app_secret_once_the_sync_secret_is_refused_them()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect(NewIp, appSecret: DirectoryApp);
            Assert.Equal("Secret, AppSecret", connection.Secrets);
            Assert.NotNull(connection.AppSecretFingerprint);
            Assert.Null(connection.LimitedReads);

            var tree = await connection.Departments.GetTreeAsync(CancellationToken.None);
            var users = await connection.Users.GetAllAsync().ValuesAsync();
            var lisi = await connection.Users.GetAsync(new[] { "LiSi" }).ValuesAsync();

            Assert.Equal("/广州研发中心/邮箱产品部/邮箱后台组", tree.Single(d => d.Id == 5).Path);
            Assert.Equal(24, users.Count);
            Assert.All(users, u => Assert.NotNull(u.Name));
            Assert.Null(users.Single(u => u.UserId == "LiSi").Mobile);
            Assert.Equal("李四", lisi.Single().Name);
            Assert.Contains("app secret", connection.LimitedReads);
            // The refusal is remembered: one 48009 per read path at most, the rest went to the app secret directly.
            Assert.Equal(1, corp.Sandbox.CallCount("department/list") - 1);
            Assert.True(corp.Sandbox.CallCount("user/list") <= 10 + connection.MaxConcurrency);

            // Changes still go to the contacts-sync secret (an app may not write).
            await connection.Users.UpdateAsync(new[] { new WeComUserChange { UserId = "LiSi", Position = "总监" } }).ValuesAsync();
        }

        [Fact]
        public async Task A_new_ip_sync_secret_alone_reads_the_tree_and_every_member_as_far_as_wecom_allows_with_one_warning_each()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect(NewIp);
            var log = new Warnings();

            IReadOnlyList<WeComDepartment> tree;
            List<WeComUser> users;
            List<WeComUser> mail;
            using (WeComLog.Listen(log))
            {
                tree = await connection.Departments.GetTreeAsync(CancellationToken.None);
                Assert.Single(log.Lines);
                users = await connection.Users.GetAllAsync().ValuesAsync();
                Assert.Equal(2, log.Lines.Count);
                mail = await connection.Users.GetByDepartmentAsync(new[] { 2 }, recurse: true).ValuesAsync();
            }

            Assert.Equal(10, tree.Count);
            Assert.All(tree, d => Assert.Null(d.Name));
            Assert.Equal("/1/2/5", tree.Single(d => d.Id == 5).Path);
            Assert.Equal(24, users.Count);
            Assert.Equal(new[] { 9, 6 }, users.Single(u => u.UserId == "HanYi").Department);
            Assert.All(users, u => Assert.Null(u.Name));
            Assert.Equal(new[] { "HanYi", "LiSi", "SunQi", "WangWu", "WuJiu", "XiaoLiu", "ZhaoLiu", "ZhengShi", "ZhouBa" }, mail.Select(u => u.UserId).OrderBy(s => s, StringComparer.Ordinal));
            Assert.All(log.Lines, l => Assert.Contains("-AppSecret", l));
            Assert.Contains("no app secret", connection.LimitedReads);
        }

        [Fact]
        public async Task Reading_members_by_id_without_any_way_to_read_details_ends_with_one_error()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect(NewIp);

            var results = new List<ItemResult<WeComUser>>();
            var error = await Assert.ThrowsAsync<WeComException>(async () =>
            {
                await foreach (var result in connection.Users.GetAsync(new[] { "LiSi", "ZhangSan", "WangWu" }))
                {
                    results.Add(result);
                }
            });

            Assert.Empty(results);
            Assert.Equal(("DetailsForbiddenForSyncSecret", 48009), (error.ErrorId, error.ErrCode));
            Assert.Contains("企业可信IP", error.RecommendedAction);
            Assert.Contains("可见范围", error.RecommendedAction);
        }

        [Fact]
        public async Task A_new_ip_sync_secret_plans_a_replace_of_the_whole_directory()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect(NewIp);
            var everyone = (await connection.Users.ListIdsAsync(CancellationToken.None)).Select(u => new WeComUserChange { UserId = u.UserId }).ToList();

            var users = await connection.Jobs.PlanUsersAsync(everyone.Skip(1), replace: true, null, CancellationToken.None);
            var departments = await connection.Jobs.PlanDepartmentsAsync(
                (await connection.Departments.GetIdTreeAsync(CancellationToken.None)).Select(d => new WeComDepartmentChange { Id = d.Id, Name = "部门" + d.Id, ParentId = d.ParentId }),
                CancellationToken.None);

            Assert.Empty(users.Invalid);
            Assert.Equal(24, users.Existing);
            Assert.Single(users.Changes, c => c.Action == WeComJobAction.Delete);
            Assert.Empty(departments.Invalid);
            Assert.DoesNotContain(departments.Changes, c => c.Action == WeComJobAction.Delete);
            Assert.Equal(0, corp.Sandbox.CallCount("user/simplelist") + corp.Sandbox.CallCount("user/list"));
        }

        [Fact]
        public async Task Exports_go_to_the_app_secret_and_without_one_end_with_one_error_naming_it()
        {
            await using var corp = await TestCorp.StartAsync();
            var both = corp.Connect(NewIp, appSecret: DirectoryApp);
            both.Exports.MaxPollInterval = TimeSpan.FromMilliseconds(50);
            var alone = corp.Connect(NewIp);

            var users = await both.Exports.ExportUsersAsync(simple: true, null, CancellationToken.None).ToListAsync();
            var error = await Assert.ThrowsAsync<WeComException>(() => alone.Exports.ExportDepartmentsAsync(null, CancellationToken.None));

            Assert.Equal(24, users.Count);
            Assert.Equal("李四", users.Single(u => u.UserId == "LiSi").Name);
            Assert.Equal(48009, error.ErrCode);
            Assert.Contains("-AppSecret", error.Message);
        }

        private sealed class Warnings : IWeComLogListener
        {
            public List<string> Lines { get; } = new List<string>();

            public void Verbose(string message)
            {
            }

            public void Debug(string message)
            {
            }

            public void Warning(string message)
            {
                lock (Lines)
                {
                    Lines.Add(message);
                }
            }
        }
    }
}
