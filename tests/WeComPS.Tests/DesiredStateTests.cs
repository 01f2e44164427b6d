using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>Plans against the sample corp over loopback HTTP, and applying them: fields, paths, stale items, strategies, the journal.</summary>
    public class DesiredStateTests
    {
        private static WeComDesiredUser Row(string userId, params (string Field, string? Value)[] fields) =>
            new WeComDesiredUser(userId, fields.Select(f => new KeyValuePair<string, string?>(f.Field, f.Value)));

        private static Task<WeComPlan> PlanAsync(WeComConnection connection, WeComPlanOptions? options, params WeComDesiredUser[] rows) =>
            new DesiredStatePlanner(connection).PlanUsersAsync(rows, options ?? new WeComPlanOptions(), null, CancellationToken.None);

        private static async Task<List<(WeComPlanResult Result, WeComException? Error)>> ApplyAsync(WeComConnection connection, IReadOnlyList<WeComPlanItem> items, WeComApplyOptions? options = null)
        {
            var results = new List<(WeComPlanResult, WeComException?)>();
            await new DesiredStateApplier(connection).ApplyAsync(items, options ?? new WeComApplyOptions(), (r, e) => results.Add((r, e)), null, CancellationToken.None);
            return results;
        }

        private static async Task<WeComUser> UserAsync(WeComConnection connection, string userId) =>
            (await connection.Users.GetAsync(new[] { userId }).ValuesAsync()).Single();

        private static Task<List<WeComUser>> AllAsync(WeComConnection connection) => connection.Users.GetAllAsync().ValuesAsync();

        [Fact]
        public async Task A_plan_compares_only_the_owned_fields_and_lists_each_change_old_to_new()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();

            var plan = await PlanAsync(connection, null,
                Row("LiSi", ("Position", "技术总监"), ("Name", "李四")),
                Row("WangWu", ("Position", "后台工程师")),
                Row("chen.xin", ("Name", "陈新"), ("Mobile", "13900000001"), ("Department", "广州研发中心/邮箱产品部/邮箱后台组")));

            var update = Assert.Single(plan.Items, i => i.Action == WeComPlanAction.Update);
            Assert.Equal("LiSi", update.Target);
            var change = Assert.Single(update.Changes);
            Assert.Equal(("Position", "产品总监", "技术总监"), (change.Field, change.Old, change.New));
            var create = Assert.Single(plan.Items, i => i.Action == WeComPlanAction.Create);
            Assert.Equal("/广州研发中心/邮箱产品部/邮箱后台组", create.Changes["Department"]!.New);
            Assert.Null(create.Changes["Department"]!.Old);
            Assert.DoesNotContain(plan.Items, i => i.Target == "WangWu");
            Assert.Empty(plan.Invalid);
        }

        [Fact]
        public async Task Normal_forms_userids_in_any_case_departments_in_any_order_and_blank_versus_absent()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();

            var plan = await PlanAsync(connection, new WeComPlanOptions { IncludeUnchanged = true },
                Row("lisi", ("Department", "5;2"), ("Email", "LISI@EXAMPLE.COM"), ("IsLeaderInDept", "0;1")),
                Row("WANGWU", ("Telephone", ""), ("Alias", null)));

            var lisi = Assert.Single(plan.Items, i => i.Target == "LiSi");
            Assert.Equal(WeComPlanAction.Unchanged, lisi.Action);
            Assert.Equal(3, lisi.Changes.Count);
            var wangwu = Assert.Single(plan.Items, i => i.Target == "WangWu");
            Assert.Equal(WeComPlanAction.Update, wangwu.Action);
            var telephone = Assert.Single(wangwu.Changes);
            Assert.Equal("", telephone.New);
            Assert.NotEmpty(telephone.Old!);

            var flipped = await PlanAsync(connection, null, Row("LiSi", ("IsLeaderInDept", "0;1")));
            Assert.Equal("/广州研发中心/邮箱产品部=false;/广州研发中心/邮箱产品部/邮箱后台组=true", Assert.Single(Assert.Single(flipped.Items).Changes).New);
        }

        [Fact]
        public async Task Paths_unknown_duplicate_names_under_different_parents_and_a_renamed_parent()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            await connection.Departments.CreateAsync(new[] { new WeComDepartmentChange { Name = "测试部", ParentId = 2 } }).ValuesAsync();

            var plan = await PlanAsync(connection, null,
                Row("LiSi", ("Department", "广州研发中心/市场部")),
                Row("WangWu", ("Department", "测试部")),
                Row("ZhaoLiu", ("Department", "/广州研发中心/邮箱产品部/测试部")));

            Assert.Contains("'广州研发中心/市场部'", Assert.Single(plan.Invalid, i => (string)i.Target! == "LiSi").Error!.Message);
            var ambiguous = Assert.Single(plan.Invalid, i => (string)i.Target! == "WangWu").Error!;
            Assert.Equal("AmbiguousDepartmentName", ambiguous.ErrorId);
            Assert.Contains("/广州研发中心/测试部", ambiguous.Message);
            Assert.Equal("/广州研发中心/邮箱产品部/测试部", Assert.Single(plan.Items).Changes["Department"]!.New);

            await connection.Departments.UpdateAsync(new[] { new WeComDepartmentChange { Id = 2, Name = "邮件产品部" } }).ValuesAsync();
            var renamed = await PlanAsync(connection, null,
                Row("WuJiu", ("Department", "/广州研发中心/邮箱产品部/邮箱前端组")),
                Row("ZhouBa", ("Department", "/广州研发中心/邮件产品部/邮箱后台组")));
            Assert.Equal("DepartmentNotFound", Assert.Single(renamed.Invalid).Error!.ErrorId);
            Assert.Equal("/广州研发中心/邮件产品部/邮箱前端组", Assert.Single(renamed.Items).Changes["Department"]!.Old);
        }

        [Fact]
        public async Task Missing_departments_are_created_parents_first_and_forbidden_names_are_refused_before_sending()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            var options = new WeComPlanOptions { CreateMissingDepartments = true };

            var plan = await PlanAsync(connection, options,
                Row("lin.hai", ("Name", "林海"), ("Email", "lin.hai@example.com"), ("Department", "广州研发中心/云事业部/存储组")),
                Row("LiSi", ("Department", "2;/广州研发中心/云事业部")),
                Row("WangWu", ("Department", "/广州研发中心/坏:名")));

            Assert.Equal(new[] { "/广州研发中心/云事业部", "/广州研发中心/云事业部/存储组" },
                plan.Items.Where(i => i.ObjectType == WeComPlanObjectType.Department).Select(i => i.Target));
            Assert.Equal("InvalidDepartmentName", Assert.Single(plan.Invalid).Error!.ErrorId);
            var creates = corp.Sandbox.CallCount("department/create");

            var results = await ApplyAsync(connection, plan.Items);

            Assert.All(results, r => Assert.Null(r.Error));
            Assert.Equal(creates + 2, corp.Sandbox.CallCount("department/create"));
            var tree = await connection.Departments.GetTreeAsync(CancellationToken.None);
            var storage = tree.Single(d => d.Path == "/广州研发中心/云事业部/存储组");
            Assert.Equal(new[] { storage.Id }, (await UserAsync(connection, "lin.hai")).Department);
            var lisi = await UserAsync(connection, "LiSi");
            Assert.Equal(new[] { 2, tree.Single(d => d.Path == "/广州研发中心/云事业部").Id }, lisi.Department);
            Assert.Equal(lisi.Order![0], lisi.Order.Count == 2 ? lisi.Order[0] : -1);
            Assert.True(lisi.IsLeaderInDept![0], "the leader flag of the department LiSi keeps stays");
        }

        [Fact]
        public async Task A_stale_item_is_refused_naming_it_and_the_others_are_applied()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            var plan = await PlanAsync(connection, null,
                Row("LiSi", ("Position", "技术总监")),
                Row("WangWu", ("Position", "架构师")),
                Row("new.one", ("Name", "新人"), ("Email", "new.one@example.com"), ("Department", "5")));

            await connection.Users.UpdateAsync(new[] { new WeComUserChange { UserId = "LiSi", Position = "首席产品官" } }).ValuesAsync();
            await connection.Users.CreateAsync(new[] { new WeComUserChange { UserId = "new.one", Name = "抢先", Email = "first@example.com", Department = new[] { 6 } } }).ValuesAsync();
            var results = await ApplyAsync(connection, plan.Items);

            var stale = results.Where(r => r.Result.Status == WeComPlanResultStatus.Stale).ToList();
            Assert.Equal(new[] { "LiSi", "new.one" }, stale.Select(r => r.Result.Target).OrderBy(t => t, StringComparer.Ordinal));
            Assert.Equal("StalePlanItem", stale[0].Error!.ErrorId);
            Assert.Contains("'首席产品官'", stale.Single(s => s.Result.Target == "LiSi").Error!.Message);
            Assert.Equal("首席产品官", (await UserAsync(connection, "LiSi")).Position);
            Assert.Equal("架构师", (await UserAsync(connection, "WangWu")).Position);
            Assert.Equal("抢先", (await UserAsync(connection, "new.one")).Name);
        }

        [Theory]
        [InlineData(WeComApplyStrategy.Immediate)]
        [InlineData(WeComApplyStrategy.Import)]
        public async Task Both_strategies_apply_the_same_plan(WeComApplyStrategy strategy)
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            connection.Jobs.MaxPollInterval = TimeSpan.FromMilliseconds(50);
            var plan = await PlanAsync(connection, new WeComPlanOptions { IncludeDelete = true },
                (await AllAsync(connection)).Where(u => u.UserId != "XiaoLiu").Select(u => Row(u.UserId, ("Position", u.UserId == "LiSi" ? "技术总监" : u.Position))).Append(
                Row("chen.xin", ("Name", "陈新"), ("Mobile", "13900000001"), ("Department", "/广州研发中心/测试部"), ("Position", "测试工程师"))).ToArray());
            var jobs = corp.Sandbox.CallCount("batch/syncuser");

            var results = await ApplyAsync(connection, plan.Items, new WeComApplyOptions { Strategy = strategy });

            Assert.All(results, r => Assert.True(r.Error is null, r.Error?.Message));
            Assert.Equal(new[] { ("LiSi", WeComPlanAction.Update), ("XiaoLiu", WeComPlanAction.Delete), ("chen.xin", WeComPlanAction.Create) },
                results.Select(r => (r.Result.Target, r.Result.Action)).OrderBy(r => r.Target, StringComparer.Ordinal));
            Assert.Equal(strategy == WeComApplyStrategy.Import ? 1 : 0, corp.Sandbox.CallCount("batch/syncuser") - jobs);
            Assert.Equal(strategy, results.Single(r => r.Result.Target == "LiSi").Result.Strategy);
            Assert.Equal("技术总监", (await UserAsync(connection, "LiSi")).Position);
            Assert.Equal(new[] { 10 }, (await UserAsync(connection, "chen.xin")).Department);
            Assert.DoesNotContain(await AllAsync(connection), u => u.UserId == "XiaoLiu");
        }

        [Fact]
        public async Task Deletes_need_asking_and_stay_within_the_deletion_limit()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            var rows = new[] { Row("LiSi", ("Position", "产品总监")) };

            Assert.Empty((await PlanAsync(connection, null, rows)).Items);
            var plan = await PlanAsync(connection, new WeComPlanOptions { IncludeDelete = true, DeleteLimit = DeleteLimit.Parse("50%") }, rows);

            Assert.Equal((await AllAsync(connection)).Count - 1, plan.Count(WeComPlanAction.Delete));
            Assert.Equal("DeleteLimitExceeded", plan.DeletionRefused!.ErrorId);
            var refused = await Assert.ThrowsAsync<WeComException>(() => ApplyAsync(connection, plan.Items, new WeComApplyOptions { DeleteLimit = DeleteLimit.Parse("10") }));
            Assert.Equal("DeleteLimitExceeded", refused.ErrorId);
            Assert.Equal(0, corp.Sandbox.CallCount("user/batchdelete"));
            Assert.Equal(20, DeleteLimit.Parse(" 20 ").Of(1000));
            Assert.Equal("InvalidMaxDelete", Assert.Throws<WeComException>(() => DeleteLimit.Parse("many")).ErrorId);
        }

        [Fact]
        public async Task The_journal_records_each_applied_change_and_reads_back_without_secrets()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            var path = Path.Combine(Path.GetTempPath(), $"wecom-journal-{Guid.NewGuid():N}", "journal.jsonl");
            try
            {
                var plan = await PlanAsync(connection, null, Row("LiSi", ("Position", "技术总监")), Row("WangWu", ("Telephone", "020-12345678")), Row("ZhaoLiu", ("Position", "架构师")));
                await connection.Users.UpdateAsync(new[] { new WeComUserChange { UserId = "ZhaoLiu", Position = "经理" } }).ValuesAsync();
                await ApplyAsync(connection, plan.Items, new WeComApplyOptions { JournalPath = path });

                var entries = WeComJournal.Read(path).ToList();
                var text = File.ReadAllText(path);

                Assert.Equal(3, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
                var lisi = entries.Single(e => e.Target == "LiSi");
                Assert.Equal((WeComPlanResultStatus.Succeeded, WeComSandbox.SampleCorpId, connection.Name), (lisi.Outcome, lisi.CorpId, lisi.Connection));
                Assert.Equal(("Position", "产品总监", "技术总监"), (lisi.Changes[0].Field, lisi.Changes[0].Old, lisi.Changes[0].New));
                Assert.Equal(WeComPlanResultStatus.Stale, entries.Single(e => e.Target == "ZhaoLiu").Outcome);
                Assert.True(entries.All(e => (DateTimeOffset.UtcNow - e.Time).TotalHours < 1));
                Assert.Contains("\"Outcome\":\"Succeeded\"", text);
                Assert.Contains("技术总监", text);
                Assert.DoesNotContain(WeComSandbox.SampleContactsSecret, text);
                Assert.DoesNotContain("access_token", text);
                foreach (var token in corp.Sandbox.IssuedTokens)
                {
                    Assert.DoesNotContain(token, text);
                }
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
            }
        }

        [Fact]
        public async Task Ten_thousand_rows_plan_in_one_read_and_apply_through_an_import()
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(100, 10000));
            var connection = corp.Connect();
            connection.Jobs.MaxPollInterval = TimeSpan.FromMilliseconds(50);
            var rows = (await AllAsync(connection)).Select((u, n) => Row(u.UserId.ToUpperInvariant(), ("Name", u.Name), ("Position", n % 5 == 0 ? "高级工程师" : u.Position))).ToArray();
            var gets = corp.Sandbox.CallCount("user/get");

            var plan = await PlanAsync(connection, null, rows);

            Assert.Equal(2000, plan.Count(WeComPlanAction.Update));
            Assert.Equal(plan.Items.Count, plan.Count(WeComPlanAction.Update));
            Assert.Equal(gets, corp.Sandbox.CallCount("user/get"));
            Assert.Equal(WeComApplyStrategy.Import, DesiredStateApplier.Choose(plan.Items, WeComApplyStrategy.Auto));

            var results = await ApplyAsync(connection, plan.Items);

            Assert.Equal(2000, results.Count(r => r.Result.Status == WeComPlanResultStatus.Succeeded && r.Result.Strategy == WeComApplyStrategy.Import && r.Result.JobId != null));
            Assert.Equal(2000, (await AllAsync(connection)).Count(u => u.Position == "高级工程师"));
            Assert.Empty((await PlanAsync(connection, null, rows)).Items);
        }

        [Fact]
        public async Task Departments_by_path_are_created_reordered_and_deleted_deepest_first()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            WeComDesiredDepartment Dept(string path, string? order = null) =>
                new WeComDesiredDepartment(path, order is null ? new KeyValuePair<string, string?>[0] : new[] { new KeyValuePair<string, string?>("Order", order) });
            await connection.Departments.CreateAsync(new[] { new WeComDepartmentChange { Name = "临时组", ParentId = 1 } }).ValuesAsync();
            var keep = (await connection.Departments.GetTreeAsync(CancellationToken.None)).Where(d => d.Name != "临时组").Select(d => Dept(d.Path!.TrimStart('/')));

            var plan = await new DesiredStatePlanner(connection).PlanDepartmentsAsync(
                keep.Append(Dept("广州研发中心/测试部/自动化组", "7")).Append(Dept("广州研发中心/坏|名")).ToList(),
                new WeComPlanOptions { IncludeDelete = true },
                CancellationToken.None);

            Assert.Equal("InvalidDepartmentName", Assert.Single(plan.Invalid).Error!.ErrorId);
            Assert.Equal(new[] { "Create /广州研发中心/测试部/自动化组", "Delete /广州研发中心/临时组" }, plan.Items.Select(i => $"{i.Action} {i.Target}"));
            Assert.Null(plan.DeletionRefused);
            Assert.Equal("7", plan.Items[0].Changes["Order"]!.New);

            var reorder = await new DesiredStatePlanner(connection).PlanDepartmentsAsync(new[] { Dept("/广州研发中心/测试部", "60") }, new WeComPlanOptions(), CancellationToken.None);
            Assert.Equal(("50", "60"), (Assert.Single(Assert.Single(reorder.Items).Changes).Old, reorder.Items[0].Changes[0].New));

            var results = await ApplyAsync(connection, plan.Items.Concat(reorder.Items).ToList());

            var tree = await connection.Departments.GetTreeAsync(CancellationToken.None);
            Assert.Equal(7, tree.Single(d => d.Path == "/广州研发中心/测试部/自动化组").Order);
            Assert.Equal(60, tree.Single(d => d.Path == "/广州研发中心/测试部").Order);
            Assert.DoesNotContain(tree, d => d.Name == "临时组");
            Assert.Equal(3, results.Count(r => r.Result.Status == WeComPlanResultStatus.Succeeded));
            Assert.Equal(WeComPlanResultStatus.Stale, (await ApplyAsync(connection, reorder.Items)).Single().Result.Status);
        }

        [Fact]
        public async Task An_app_secret_plans_from_what_it_can_read_and_names_the_fields_it_could_not_compare()
        {
            await using var corp = await TestCorp.StartAsync();
            var app = corp.Connect(WeComSandbox.SampleAppSecret);

            var plan = await PlanAsync(app, null, Row("LiSi", ("Position", "技术总监"), ("Mobile", "13900000009"), ("Email", "lisi@example.com")));

            Assert.Equal(new[] { "Email", "Mobile" }, plan.NotCompared);
            Assert.Equal("Position", Assert.Single(Assert.Single(plan.Items).Changes).Field);
        }

        [Fact]
        public async Task A_contacts_sync_secret_on_a_new_ip_plans_and_applies_departments_by_id()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect(WeComSandbox.SampleNewIpContactsSecret);

            var plan = await PlanAsync(connection, null,
                Row("WangWu", ("Department", "5;6"), ("Position", "架构师")),
                Row("ZhaoLiu", ("Department", "广州研发中心/测试部")));

            Assert.Equal(new[] { "Position" }, plan.NotCompared);
            Assert.Equal("DepartmentNamesUnreadable", Assert.Single(plan.Invalid).Error!.ErrorId);
            var change = Assert.Single(Assert.Single(plan.Items).Changes);
            Assert.Equal(("Department", "5", "5;6"), (change.Field, change.Old, change.New));

            var results = await ApplyAsync(connection, plan.Items);

            Assert.Equal(WeComPlanResultStatus.Succeeded, Assert.Single(results).Result.Status);
            Assert.Equal(new[] { 5, 6 }, (await UserAsync(corp.Connect(), "WangWu")).Department);
        }

        [Fact]
        public async Task A_mobile_WeCom_keeps_for_an_activated_member_is_neither_sent_nor_reported_as_applied()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            var path = Path.Combine(Path.GetTempPath(), $"wecom-journal-{Guid.NewGuid():N}.jsonl");

            // LiSi has activated; ZhengShi never did (status 4), so WeCom takes a new mobile for him.
            var plan = await PlanAsync(connection, null, Row("LiSi", ("Mobile", "13900000077")), Row("ZhengShi", ("Mobile", "13900000078")), Row("WangWu", ("Mobile", "13900000079"), ("Position", "架构师")));

            var lisi = plan.Items.Single(i => i.Target == "LiSi");
            Assert.Equal(WeComPlanAction.Unchanged, lisi.Action);
            Assert.Empty(lisi.Changes);
            Assert.Equal(("Mobile", "13900000077"), (Assert.Single(lisi.Kept).Field, lisi.Kept[0].New));
            Assert.Contains("kept by WeCom", lisi.Summary);
            Assert.Equal("Mobile", Assert.Single(plan.Items.Single(i => i.Target == "ZhengShi").Changes).Field);
            var wangwu = plan.Items.Single(i => i.Target == "WangWu");
            Assert.Equal(("Position", "Mobile"), (Assert.Single(wangwu.Changes).Field, Assert.Single(wangwu.Kept).Field));

            // A plan reviewed before the member activated, or written by hand, still names the mobile: it is not sent.
            var reviewed = new WeComPlanItem { Action = WeComPlanAction.Update, Target = "LiSi", Changes = new WeComFieldChanges(new[] { new WeComFieldChange { Field = "Mobile", Old = "13810000002", New = "13900000077" } }) };
            var updates = corp.Sandbox.CallCount("user/update");
            var results = await ApplyAsync(connection, plan.Items.Append(reviewed).ToList(), new WeComApplyOptions { JournalPath = path });

            Assert.Equal(updates + 2, corp.Sandbox.CallCount("user/update"));
            var kept = results.Single(r => r.Result.Target == "LiSi");
            Assert.Equal(WeComPlanResultStatus.Kept, kept.Result.Status);
            Assert.Null(kept.Error);
            Assert.Empty(kept.Result.Changes);
            var partly = results.Single(r => r.Result.Target == "WangWu").Result;
            Assert.Equal((WeComPlanResultStatus.Succeeded, "Position", "Mobile"), (partly.Status, Assert.Single(partly.Changes).Field, Assert.Single(partly.Kept).Field));
            Assert.Equal("13900000078", (await UserAsync(connection, "ZhengShi")).Mobile);
            Assert.Equal("13810000002", (await UserAsync(connection, "LiSi")).Mobile);
            var journal = WeComJournal.Read(path).ToList();
            Assert.Equal(WeComPlanResultStatus.Kept, journal.Single(e => e.Target == "LiSi").Outcome);
            Assert.Equal("Mobile", Assert.Single(journal.Single(e => e.Target == "WangWu").Kept!).Field);
            Assert.DoesNotContain(journal.Single(e => e.Target == "WangWu").Changes, c => c.Field == "Mobile");
            File.Delete(path);

            // The next plan does not list the kept mobile as a change again.
            var again = await PlanAsync(connection, null, Row("LiSi", ("Mobile", "13900000077")), Row("WangWu", ("Mobile", "13900000079"), ("Position", "架构师")));
            Assert.Equal(0, again.Count(WeComPlanAction.Update));
        }

        [Theory]
        [InlineData(WeComApplyStrategy.Immediate)]
        [InlineData(WeComApplyStrategy.Import)]
        public async Task An_email_WeCom_keeps_in_a_corp_bound_to_Tencent_Exmail_is_read_back_and_not_reported_as_applied(WeComApplyStrategy strategy)
        {
            var sandbox = WeComSandbox.CreateSample();
            sandbox.ExmailBound = true;
            await using var corp = await TestCorp.StartAsync(sandbox);
            var connection = corp.Connect();
            connection.Jobs.MaxPollInterval = TimeSpan.FromMilliseconds(50);

            var journal = Path.Combine(Path.GetTempPath(), $"wecom-journal-{Guid.NewGuid():N}.jsonl");
            var rows = new[] { Row("LiSi", ("Email", "li.si@example.com")), Row("WangWu", ("Email", "wang.wu@example.com"), ("Position", "架构师")) };
            var plan = await PlanAsync(connection, null, rows);
            Assert.Equal(2, plan.Count(WeComPlanAction.Update));
            var results = await ApplyAsync(connection, plan.Items, new WeComApplyOptions { Strategy = strategy, JournalPath = journal });

            var lisi = results.Single(r => r.Result.Target == "LiSi").Result;
            Assert.Equal((WeComPlanResultStatus.Kept, "Email"), (lisi.Status, Assert.Single(lisi.Kept).Field));
            Assert.Empty(lisi.Changes);
            var wangwu = results.Single(r => r.Result.Target == "WangWu").Result;
            Assert.Equal((WeComPlanResultStatus.Succeeded, "Position", "Email"), (wangwu.Status, Assert.Single(wangwu.Changes).Field, Assert.Single(wangwu.Kept).Field));
            Assert.Equal("架构师", (await UserAsync(connection, "WangWu")).Position);
            Assert.NotEqual("li.si@example.com", (await UserAsync(connection, "LiSi")).Email);

            // The journal remembers what WeCom kept: the next plan lists it as kept instead of sending it again.
            var again = await PlanAsync(connection, new WeComPlanOptions { History = WeComJournal.Read(journal).ToList() }, rows);
            // What another corp's members kept says nothing about this corp's.
            var elsewhere = WeComJournal.Read(journal).Select(e => { e.CorpId = "wwanothercorp"; return e; }).ToList();
            File.Delete(journal);
            Assert.Equal(2, (await PlanAsync(connection, new WeComPlanOptions { History = elsewhere }, rows)).Count(WeComPlanAction.Update));
            Assert.Equal(0, again.Count(WeComPlanAction.Update));
            Assert.Equal(new[] { "Email", "Email" }, again.Items.SelectMany(i => i.Kept).Select(k => k.Field));
            Assert.Equal(2, (await PlanAsync(connection, null, rows)).Count(WeComPlanAction.Update));
        }

        [Fact]
        public async Task An_email_that_cannot_be_read_back_is_reported_as_not_confirmed_naming_the_member()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            var plan = await PlanAsync(connection, null, Row("LiSi", ("Email", "li.si@example.com")), Row("WangWu", ("Position", "架构师")));
            var results = new List<WeComPlanResult>();

            await new DesiredStateApplier(connection).ApplyAsync(plan.Items, new WeComApplyOptions(), (r, e) =>
            {
                results.Add(r);
                if (r.Target == "WangWu")
                {
                    // The read-back after the updates finds no member.
                    corp.Sandbox.Inject("user/get", SandboxFault.Error(60111), times: 5);
                }
            }, null, CancellationToken.None);

            var lisi = results.Single(r => r.Target == "LiSi");
            Assert.Equal(WeComPlanResultStatus.Succeeded, lisi.Status);
            Assert.StartsWith("done, but Email of user LiSi is not confirmed", lisi.Message);
        }

        [Fact]
        public async Task A_stopped_apply_reports_the_departments_and_emails_it_changed()
        {
            var corp = await TestCorp.StartAsync();
            await using var _ = corp;
            await using var proxy = await FaultProxy.StartAsync(corp.Server.BaseUri);
            var connection = corp.Connect(attemptTimeout: TimeSpan.FromSeconds(10), baseUri: proxy.BaseUri);
            var planner = new DesiredStatePlanner(connection);

            async Task<(List<WeComPlanResult> Results, WeComException Stopped)> StopAsync(IReadOnlyList<WeComPlanItem> items, string path, int inFlight)
            {
                using var stop = new CancellationTokenSource();
                var results = new List<WeComPlanResult>();
                var run = Task.Run(() => new DesiredStateApplier(connection).ApplyAsync(items, new WeComApplyOptions(), (r, e) => results.Add(r), null, stop.Token));
                for (var waited = 0; proxy.Received(path) < inFlight; waited += 10)
                {
                    Assert.True(waited < 30_000 && !run.IsCompleted, $"only {proxy.Received(path)} sent");
                    await Task.Delay(10);
                }

                stop.Cancel();
                return (results, await Assert.ThrowsAsync<WeComException>(() => run));
            }

            proxy.Add("department/update=delay:800");
            var rename = await planner.PlanDepartmentsAsync(new[] { Dept("/广州研发中心/测试中心", ("Id", "10")), Dept("/广州研发中心/微信部", ("Id", "3")) }, new WeComPlanOptions(), CancellationToken.None);
            var (renamed, stopped) = await StopAsync(rename.Items, "department/update", 1);
            Assert.Equal("CommandStopped", stopped.ErrorId);
            Assert.Equal(WeComPlanResultStatus.Succeeded, Assert.Single(renamed).Status);

            // A department created before the stop is reported though its order was not set after it.
            proxy.Add("department/create=delay:800");
            var create = await planner.PlanDepartmentsAsync(new[] { Dept("/广州研发中心/运维部", ("Order", "5")), Dept("/广州研发中心/安全部") }, new WeComPlanOptions(), CancellationToken.None);
            var (created, _) = await StopAsync(create.Items, "department/create", 1);
            var unset = Assert.Single(created);
            Assert.Equal(WeComPlanResultStatus.Failed, unset.Status);
            Assert.StartsWith("Department '/广州研发中心/运维部' was created, but the run was stopped before its Order was set.", unset.Message);
            Assert.Contains(await connection.Departments.GetTreeAsync(CancellationToken.None), d => d.Path == "/广州研发中心/运维部");

            proxy.Add("user/update=delay:800");
            var emails = await PlanAsync(connection, null, Row("LiSi", ("Email", "li.si@example.com")), Row("WangWu", ("Email", "wang.wu@example.com")));
            var (updated, stoppedAgain) = await StopAsync(emails.Items, "user/update", 2);
            Assert.Equal("CommandStopped", stoppedAgain.ErrorId);
            Assert.Equal(new[] { "LiSi", "WangWu" }, updated.Select(r => r.Target).OrderBy(t => t, StringComparer.Ordinal));
            Assert.All(updated, r => Assert.Equal(WeComPlanResultStatus.Succeeded, r.Status));
            Assert.All(updated, r => Assert.Contains("is not confirmed", r.Message));
        }

        [Fact]
        public async Task A_lost_answer_of_a_rename_is_confirmed_though_WeCom_kept_the_members_mobile()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect(maxAttempts: 5, attemptTimeout: TimeSpan.FromMilliseconds(300));
            corp.Sandbox.Inject("user/update", SandboxFault.ConnectionReset(afterApply: true));

            var results = await connection.Users.UpdateAsync(new[] { new WeComUserChange { UserId = "LiSi", NewUserId = "li.si", Mobile = "13900000077", Position = "架构师" } }).ToListAsync();

            Assert.Null(Assert.Single(results).Error);
            var renamed = await UserAsync(connection, "li.si");
            Assert.Equal(("架构师", "13810000002"), (renamed.Position, renamed.Mobile));
        }

        [Fact]
        public async Task Direct_leaders_and_the_named_extended_attributes_are_compared_and_applied()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();

            var plan = await PlanAsync(connection, new WeComPlanOptions { IncludeUnchanged = true },
                Row("WangWu", ("DirectLeader", "lisi"), ("ExtAttr.工号", "E2003")),
                Row("ZhaoLiu", ("DirectLeader", ""), ("ExtAttr", "工号=E1004")),
                Row("SunQi", ("DirectLeader", "LiSi;WangWu")));

            var wangwu = plan.Items.Single(i => i.Target == "WangWu");
            Assert.Equal(new[] { "DirectLeader:  -> lisi", "ExtAttr.工号: E1003 -> E2003" }, wangwu.Changes.Select(c => $"{c.Field}: {c.Old} -> {c.New}"));
            Assert.Equal(WeComPlanAction.Unchanged, plan.Items.Single(i => i.Target == "ZhaoLiu").Action);
            Assert.Contains("at most one", Assert.Single(plan.Invalid).Error!.Message);

            var results = await ApplyAsync(connection, plan.Items);

            Assert.Equal(WeComPlanResultStatus.Succeeded, Assert.Single(results).Result.Status);
            var after = await UserAsync(connection, "WangWu");
            Assert.Equal(new[] { "LiSi" }, after.DirectLeader);
            Assert.Equal("E2003", after.ExtAttr!["工号"]);
            Assert.Empty((await PlanAsync(connection, null, Row("WangWu", ("DirectLeader", "LISI"), ("ExtAttr.工号", "E2003")))).Items);
            var cleared = await PlanAsync(connection, null, Row("WangWu", ("DirectLeader", "")));
            await ApplyAsync(connection, cleared.Items);
            Assert.Empty((await UserAsync(connection, "WangWu")).DirectLeader!);
        }

        private static WeComDesiredDepartment Dept(string path, params (string Field, string Value)[] fields) =>
            new WeComDesiredDepartment(path, fields.Select(f => new KeyValuePair<string, string?>(f.Field, f.Value)));

        [Fact]
        public async Task A_department_given_by_id_is_renamed_or_moved_in_one_update_parents_first_and_members_follow_its_new_path()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            var planner = new DesiredStatePlanner(connection);

            // HR renamed 邮箱产品部 (2) and, below the renamed parent, 邮箱后台组 (5); 支付组 (7) moved under it; 测试部 gets a new child.
            var plan = await planner.PlanRowsAsync(
                new[] { Row("WangWu", ("Department", "/广州研发中心/邮件产品部/后台组;/广州研发中心/邮件产品部/支付组")), Row("lin.hai", ("Name", "林海"), ("Email", "lin.hai@example.com"), ("Department", "/广州研发中心/邮件产品部/新组")) },
                new[]
                {
                    Dept("/广州研发中心/邮件产品部/后台组", ("Id", "5")),
                    Dept("/广州研发中心/邮件产品部", ("Id", "2"), ("Order", "310")),
                    Dept("/广州研发中心/邮件产品部/支付组", ("Id", "7")),
                    Dept("/广州研发中心/邮件产品部/新组"),
                },
                new WeComPlanOptions(),
                null,
                CancellationToken.None);

            Assert.Empty(plan.Invalid);
            Assert.Equal(
                new[]
                {
                    "Update Department /广州研发中心/邮箱产品部: Name: 邮箱产品部 -> 邮件产品部; Order: 300 -> 310",
                    "Update Department /广州研发中心/邮箱产品部/邮箱后台组: Name: 邮箱后台组 -> 后台组",
                    "Update Department /广州研发中心/微信产品部/支付组: Parent: /广州研发中心/微信产品部 -> /广州研发中心/邮件产品部",
                    "Create Department /广州研发中心/邮件产品部/新组: Name: (none) -> 新组; Parent: (none) -> /广州研发中心/邮件产品部",
                },
                plan.Items.Where(i => i.ObjectType == WeComPlanObjectType.Department).Select(i => $"{i.Action} {i.ObjectType} {i.Target}: {i.Summary}"));
            Assert.Equal("/广州研发中心/邮件产品部/后台组;/广州研发中心/邮件产品部/支付组", plan.Items.Single(i => i.Target == "WangWu").Changes["Department"]!.New);
            Assert.DoesNotContain(plan.Items, i => i.Action == WeComPlanAction.Delete);

            var results = await ApplyAsync(connection, plan.Items);

            Assert.All(results, r => Assert.Equal(WeComPlanResultStatus.Succeeded, r.Result.Status));
            var tree = await connection.Departments.GetTreeAsync(CancellationToken.None);
            Assert.Equal("/广州研发中心/邮件产品部/后台组", tree.Single(d => d.Id == 5).Path);
            Assert.Equal("/广州研发中心/邮件产品部/支付组", tree.Single(d => d.Id == 7).Path);
            Assert.Equal(310, tree.Single(d => d.Id == 2).Order);
            var created = tree.Single(d => d.Path == "/广州研发中心/邮件产品部/新组");
            Assert.Equal(new[] { 5, 7 }, (await UserAsync(connection, "WangWu")).Department);
            Assert.Equal(new[] { created.Id }, (await UserAsync(connection, "lin.hai")).Department);
            Assert.Equal(new[] { 2, 5 }, (await UserAsync(connection, "LiSi")).Department);

            // The same rows again: nothing to do; a stale rename (changed since the plan) is refused.
            Assert.Empty((await planner.PlanDepartmentsAsync(new[] { Dept("/广州研发中心/邮件产品部/后台组", ("Id", "5")) }, new WeComPlanOptions(), CancellationToken.None)).Items);
            var rename = await planner.PlanDepartmentsAsync(new[] { Dept("/广州研发中心/测试中心", ("Id", "10")) }, new WeComPlanOptions(), CancellationToken.None);
            await connection.Departments.UpdateAsync(new[] { new WeComDepartmentChange { Id = 10, Name = "质量部" } }).ValuesAsync();
            Assert.Equal(WeComPlanResultStatus.Stale, Assert.Single(await ApplyAsync(connection, rename.Items)).Result.Status);
        }

        [Fact]
        public async Task A_rename_that_changes_only_the_letter_case_is_planned_and_an_id_given_in_two_rows_is_refused_naming_the_row()
        {
            var sandbox = WeComSandbox.CreateSample();
            sandbox.AddDepartment(new SandboxDepartment { Id = 11, Name = "devops", ParentId = 10, Order = 10 });
            await using var corp = await TestCorp.StartAsync(sandbox);
            var connection = corp.Connect();
            var planner = new DesiredStatePlanner(connection);

            var plan = await planner.PlanDepartmentsAsync(new[] { Dept("/广州研发中心/测试部/DevOps", ("Id", "11")) }, new WeComPlanOptions(), CancellationToken.None);

            Assert.Empty(plan.Invalid);
            Assert.Equal("Name: devops -> DevOps", Assert.Single(plan.Items).Summary);
            Assert.Equal(WeComPlanResultStatus.Succeeded, Assert.Single(await ApplyAsync(connection, plan.Items)).Result.Status);
            Assert.Equal("/广州研发中心/测试部/DevOps", (await connection.Departments.GetTreeAsync(CancellationToken.None)).Single(d => d.Id == 11).Path);
            Assert.Empty((await planner.PlanDepartmentsAsync(new[] { Dept("/广州研发中心/测试部/DevOps", ("Id", "11")) }, new WeComPlanOptions(), CancellationToken.None)).Items);

            var twice = await planner.PlanDepartmentsAsync(
                new[] { Dept("/广州研发中心/测试部/运维", ("Id", "11"), ("Order", "5")), Dept("/广州研发中心/测试部/平台", ("Id", "11")) }, new WeComPlanOptions(), CancellationToken.None);

            var refused = Assert.Single(twice.Invalid);
            Assert.Equal("DepartmentIdElsewhere", refused.Error!.ErrorId);
            Assert.StartsWith("Department '/广州研发中心/测试部/运维': the row's Id 11 names the department at /广州研发中心/测试部/平台", refused.Error.Message);
            Assert.DoesNotContain(twice.Items, i => i.Action == WeComPlanAction.Create);
        }

        [Fact]
        public async Task A_rename_that_cannot_be_proven_stays_a_create_and_a_delete_with_a_note_naming_the_pair()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            var tree = await connection.Departments.GetTreeAsync(CancellationToken.None);
            var rows = tree.Where(d => d.Id != 10).Select(d => Dept(d.Path!)).Append(Dept("/广州研发中心/质量部")).ToList();

            var plan = await new DesiredStatePlanner(connection).PlanDepartmentsAsync(rows, new WeComPlanOptions { IncludeDelete = true }, CancellationToken.None);

            Assert.Equal(new[] { "Create /广州研发中心/质量部", "Delete /广州研发中心/测试部" }, plan.Items.Select(i => $"{i.Action} {i.Target}"));
            var note = Assert.Single(plan.Notes);
            Assert.Contains("/广州研发中心/质量部 may be /广州研发中心/测试部 renamed", note);
            Assert.Contains("Id column (10)", note);
            Assert.All(plan.Items, i => Assert.Equal(note, i.Note));

            var bad = await new DesiredStatePlanner(connection).PlanDepartmentsAsync(
                new[] { Dept("/广州研发中心/邮箱产品部/邮箱后台组/下级", ("Id", "2")), Dept("/广州研发中心/测试部", ("Id", "999")), Dept("/广州研发中心/微信产品部", ("Id", "4")) }, new WeComPlanOptions(), CancellationToken.None);
            Assert.Equal(3, bad.Invalid.Count);
            Assert.Contains("below itself", bad.Invalid.Single(i => (int)i.Error!.Message.IndexOf("id 2)", StringComparison.Ordinal) >= 0).Error!.Message);
            Assert.Equal("DepartmentNotFound", bad.Invalid.Single(i => i.Error!.Message.Contains("999")).Error!.ErrorId);
            Assert.Contains("exists already", bad.Invalid.Single(i => i.Error!.Message.Contains("id 4)")).Error!.Message);
            Assert.Empty(bad.Items);
        }

        [Fact]
        public void Plan_changes_read_back_from_their_text()
        {
            var changes = new WeComFieldChanges(new[] { new WeComFieldChange { Field = "Position", Old = "产品总监", New = "技术总监" }, new WeComFieldChange { Field = "Telephone", Old = "020-1", New = "" }, new WeComFieldChange { Field = "Name", New = "陈新" } });

            var back = WeComFieldChanges.Parse(changes.ToString());

            Assert.Equal(changes.Select(c => (c.Field, c.Old, c.New)), back.Select(c => (c.Field, c.Old, c.New)));
            Assert.Contains("技术总监", changes.ToString());
            Assert.Equal("InvalidPlanItem", Assert.Throws<WeComException>(() => WeComFieldChanges.Parse("Position: a -> b")).ErrorId);
        }
    }
}
