using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>The sandbox's write endpoints over real HTTP: WeCom's rules, errcodes and answer shapes.</summary>
    public class SandboxWriteRulesTests
    {
        private const string Sync = WeComSandbox.SampleContactsSecret;
        private const string App = WeComSandbox.SampleAppSecret;
        private const string NewDepartment = "{'name':'新部门','parentid':1}";
        private const string NewHire = "{'userid':'NewHire','name':'新人','mobile':'13900000001','email':'newhire@example.com'}";

        public static TheoryData<string, int> DepartmentCreateCases => new TheoryData<string, int>
        {
            { "{'name':''}", 60001 },
            { $"{{'name':'{new string('部', 65)}'}}", 60001 },
            { "{'name_en':''}", 0 },
            { $"{{'name_en':'{new string('x', 65)}'}}", 60001 },
            { "{'name':'a:b'}", 60009 },
            { "{'name':'a|b'}", 60009 },
            { "{'name':'a\\\\b'}", 60009 },
            { "{'parentid':99}", 60004 },
            { "{'parentid':null}", 40058 },
            { "{'name':'邮箱产品部'}", 60008 },
            { "{'name':'邮箱产品部','parentid':3}", 0 },
            { "{'id':1}", 60123 },
            { "{'id':0}", 60123 },
            { "{'id':4294967296}", 60123 },
            { "{'id':2}", 60008 },
            { "{'order':-1}", 40058 },
            { "{'order':4294967296}", 40058 },
            { "{'order':4294967295}", 0 },
        };

        public static TheoryData<string, int> DepartmentUpdateCases => new TheoryData<string, int>
        {
            { "{'id':99,'name':'x'}", 60003 },
            { "{'id':1,'parentid':2}", 60007 },
            { "{'id':1,'name':'总部'}", 0 },
            { "{'id':2,'parentid':99}", 60004 },
            { "{'id':2,'parentid':2}", 60010 },
            { "{'id':2,'parentid':5}", 60010 },
            { "{'id':5,'name':'邮箱前端组'}", 60008 },
            { "{'id':5,'name':'邮箱前端组','parentid':3}", 0 },
            { "{'id':5,'name':'a?b'}", 60009 },
            { "{'id':5,'name':''}", 60001 },
            { "{'id':5,'order':-1}", 40058 },
        };

        [Theory]
        [MemberData(nameof(DepartmentCreateCases))]
        public async Task Department_create_rules(string change, int errcode)
        {
            await using var corp = await TestCorp.StartAsync();
            var answer = await PostAsync(corp, "department/create", Merge(NewDepartment, change));

            Expect(errcode, answer);
            Assert.Equal(errcode == 0 ? 11 : 10, (await DepartmentIdsAsync(corp)).Length);
        }

        [Fact]
        public async Task Department_create_then_read_back()
        {
            await using var corp = await TestCorp.StartAsync();
            var created = Expect(0, await PostAsync(corp, "department/create", "{'name':'邮箱运维组','name_en':'Mail Ops','parentid':2,'order':15}"));
            var chosen = Expect(0, await PostAsync(corp, "department/create", "{'name':'邮箱安全组','parentid':2,'id':100}"));
            var next = Expect(0, await PostAsync(corp, "department/create", "{'name':'邮箱测试组','parentid':2}"));

            Assert.Equal(11, (int)created["id"]!);
            Assert.Equal(100, (int)chosen["id"]!);
            Assert.Equal(101, (int)next["id"]!);
            var read = Expect(0, await GetAsync(corp, "department/get?id=11"))["department"]!;
            Assert.Equal("邮箱运维组", (string)read["name"]!);
            Assert.Equal("Mail Ops", (string)read["name_en"]!);
            Assert.Equal(2, (int)read["parentid"]!);
            Assert.Equal(15, (long)read["order"]!);
            var subtree = Expect(0, await GetAsync(corp, "department/simplelist?id=2"))["department_id"]!.AsArray();
            Assert.Equal(new[] { 2, 5, 6, 11, 100, 101 }, subtree.Select(d => (int)d!["id"]!).OrderBy(id => id));
        }

        [Theory]
        [MemberData(nameof(DepartmentUpdateCases))]
        public async Task Department_update_rules(string body, int errcode)
        {
            await using var corp = await TestCorp.StartAsync();
            var before = (await GetAsync(corp, "department/list")).ToJsonString();
            var answer = await PostAsync(corp, "department/update", body);

            Expect(errcode, answer);
            Assert.Equal(errcode == 0, before != (await GetAsync(corp, "department/list")).ToJsonString());
        }

        [Fact]
        public async Task Department_update_changes_given_fields_only()
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(0, await PostAsync(corp, "department/update", "{'id':2,'parentid':3,'order':7}"));

            var moved = Expect(0, await GetAsync(corp, "department/get?id=2"))["department"]!;
            Assert.Equal("邮箱产品部", (string)moved["name"]!);
            Assert.Equal("Mail", (string)moved["name_en"]!);
            Assert.Equal(3, (int)moved["parentid"]!);
            Assert.Equal(7, (long)moved["order"]!);
            Assert.Equal(new[] { "LiSi" }, moved["department_leader"]!.AsArray().Select(l => (string)l!));
            var underWeChat = Expect(0, await GetAsync(corp, "department/simplelist?id=3"))["department_id"]!.AsArray();
            Assert.Equal(new[] { 2, 3, 5, 6, 7 }, underWeChat.Select(d => (int)d!["id"]!).OrderBy(id => id));
        }

        [Fact]
        public async Task Departments_nest_at_most_fifteen_levels()
        {
            await using var corp = await TestCorp.StartAsync();
            var parent = 1;
            for (var level = 2; level <= 15; level++)
            {
                parent = (int)Expect(0, await PostAsync(corp, "department/create", $"{{'name':'L{level}','parentid':{parent}}}"))["id"]!;
            }

            Expect(81002, await PostAsync(corp, "department/create", $"{{'name':'L16','parentid':{parent}}}"));
            // Department 2 carries a level below it (5 and 6): moving it under level 14 would make 16 levels.
            Expect(81002, await PostAsync(corp, "department/update", $"{{'id':2,'parentid':{parent - 1}}}"));
            Expect(0, await PostAsync(corp, "department/update", $"{{'id':10,'parentid':{parent - 1}}}"));
        }

        [Fact]
        public async Task A_corp_holds_at_most_30000_departments()
        {
            var sandbox = WeComSandbox.CreateSample();
            for (var id = 11; id <= 29999; id++)
            {
                sandbox.AddDepartment(new SandboxDepartment { Id = id, Name = "D" + id, ParentId = 1 });
            }

            await using var corp = await TestCorp.StartAsync(sandbox);
            Expect(0, await PostAsync(corp, "department/create", NewDepartment));
            Expect(81001, await PostAsync(corp, "department/create", "{'name':'one too many','parentid':1}"));
        }

        [Theory]
        [InlineData(99, 60003)]
        [InlineData(1, 60007)]
        [InlineData(2, 60006)]
        [InlineData(5, 60005)]
        [InlineData(11, 0)]
        public async Task Department_delete_rules(int id, int errcode)
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(0, await PostAsync(corp, "department/create", "{'name':'空部门','parentid':1}"));

            Expect(errcode, await GetAsync(corp, $"department/delete?id={id}"));
            Assert.Equal(errcode == 0 ? 10 : 11, (await DepartmentIdsAsync(corp)).Length);
        }

        public static TheoryData<string, int> UserCreateCases => new TheoryData<string, int>
        {
            { "{'userid':null}", 40003 },
            { "{'userid':'-lead'}", 40003 },
            { "{'userid':'has space'}", 40003 },
            { "{'userid':'中文'}", 40003 },
            { $"{{'userid':'{new string('u', 65)}'}}", 40003 },
            { $"{{'userid':'{new string('u', 64)}'}}", 0 },
            { "{'userid':'a_b-c@d.e'}", 0 },
            { "{'userid':'zhangsan'}", 60102 },
            { "{'name':null}", 60112 },
            { "{'name':''}", 60112 },
            { $"{{'name':'{new string('名', 65)}'}}", 60112 },
            { "{'mobile':null,'email':null}", 60129 },
            { "{'mobile':null}", 0 },
            { "{'email':null}", 0 },
            { "{'mobile':'138-abc'}", 60103 },
            { "{'mobile':'+86 13900000002'}", 0 },
            { "{'mobile':'86-13900000002'}", 0 },
            { "{'mobile':'+8613900000002'}", 0 },
            { "{'mobile':'13810000001'}", 60104 },
            { "{'email':'not-an-address'}", 60105 },
            { "{'email':'ZhangSan@EXAMPLE.com'}", 60106 },
            { "{'biz_mail':'a@b'}", 60105 },
            { "{'biz_mail':'lisi@sandbox.wecom.work'}", 60106 },
            { $"{{'department':[{string.Join(",", Enumerable.Range(1, 101))}]}}", 60110 },
            { "{'department':[99]}", 40066 },
            { "{'department':[2,2]}", 40066 },
            { "{'department':[2,5],'order':[1]}", 40058 },
            { "{'department':[2,5],'order':[1,4294967296]}", 40058 },
            { "{'department':[2,5],'order':[1,4294967295]}", 0 },
            { "{'order':[-1]}", 40058 },
            { "{'department':[2],'is_leader_in_dept':[1,0]}", 60132 },
            { "{'department':[2],'main_department':3}", 40058 },
            { "{'gender':'3'}", 40058 },
            { "{'enable':2}", 40058 },
            { "{'direct_leader':['nobody']}", 60111 },
            { "{'to_invite':false,'gender':1}", 0 },
        };

        public static TheoryData<string, int> UserUpdateCases => new TheoryData<string, int>
        {
            { "{'userid':'nobody','name':'x'}", 60111 },
            { "{'userid':'lisi','name':'李四四'}", 0 },
            { "{'userid':'LiSi','new_userid':'bad id'}", 40003 },
            { "{'userid':'LiSi','new_userid':'wangwu'}", 60102 },
            { "{'userid':'LiSi','new_userid':'lisi'}", 0 },
            { "{'userid':'LiSi','name':''}", 60112 },
            // A mobile is taken only while the member has not activated (ZhengShi); an activated member's is ignored.
            { "{'userid':'ZhengShi','mobile':'13810000001'}", 60104 },
            { "{'userid':'LiSi','mobile':'13810000002','email':'LISI@example.com'}", 0 },
            { "{'userid':'ZhengShi','mobile':'x'}", 60103 },
            { "{'userid':'LiSi','email':'x'}", 60105 },
            { "{'userid':'LiSi','email':'wangwu@example.com'}", 60106 },
            { "{'userid':'ZhengShi','mobile':'','email':''}", 60129 },
            { "{'userid':'LiSi','department':[99]}", 40066 },
            { "{'userid':'LiSi','order':[1]}", 40058 },
            { "{'userid':'LiSi','order':[1,2]}", 0 },
        };

        [Theory]
        [MemberData(nameof(UserCreateCases))]
        public async Task User_create_rules(string change, int errcode)
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(errcode, await PostAsync(corp, "user/create", Merge(NewHire, change)));

            Assert.Equal(errcode == 0 ? 25 : 24, await MemberCountAsync(corp));
        }

        [Fact]
        public async Task A_mobile_or_email_is_free_again_once_its_member_changed_it_or_was_deleted()
        {
            await using var corp = await TestCorp.StartAsync();
            // ZhangSan's (13810000001, zhangsan@example.com) and LiSi's (13810000002) contacts are taken...
            Expect(60104, await PostAsync(corp, "user/create", Merge(NewHire, "{'mobile':'13810000002'}")));
            Expect(60106, await PostAsync(corp, "user/create", Merge(NewHire, "{'email':'ZHANGSAN@example.com'}")));
            // ...until ZhangSan takes another email (an activated member's mobile cannot be changed) and LiSi is deleted.
            Expect(0, await PostAsync(corp, "user/update", "{'userid':'ZhangSan','email':'zhangsan2@example.com'}"));
            Expect(0, await GetAsync(corp, "user/delete?userid=LiSi"));
            Expect(0, await PostAsync(corp, "user/create", Merge(NewHire, "{'mobile':'13810000002','email':'zhangsan@example.com'}")));
            Expect(60106, await PostAsync(corp, "user/create", Merge(NewHire, "{'userid':'Other','mobile':'13900000099','email':'zhangsan2@example.com'}")));
            // A member's own values are no clash.
            Expect(0, await PostAsync(corp, "user/update", "{'userid':'ZhangSan','mobile':'13810000001','email':'zhangsan2@example.com'}"));
        }

        [Fact]
        public async Task User_create_stores_every_field_read_back()
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(0, await PostAsync(corp, "user/create", @"{'userid':'NewHire','name':'新人','alias':'Newbie','mobile':'+86 13900000001','department':[2,5],'order':[10,20],
                'position':'工程师','gender':'2','email':'newhire@example.com','biz_mail':'newhire@sandbox.wecom.work','telephone':'020-81234567',
                'is_leader_in_dept':[0,1],'direct_leader':['lisi'],'main_department':5,'address':'广州','to_invite':true,
                'extattr':{'attrs':[{'type':0,'name':'工号','text':{'value':'E9001'}},{'type':1,'name':'主页','web':{'url':'https://example.com','title':'主页'}}]}}"));

            var user = Expect(0, await GetAsync(corp, "user/get?userid=newhire"));
            Assert.Equal("NewHire", (string)user["userid"]!);
            Assert.Equal("新人", (string)user["name"]!);
            Assert.Equal("Newbie", (string)user["alias"]!);
            Assert.Equal("+86 13900000001", (string)user["mobile"]!);
            Assert.Equal(new[] { 2, 5 }, user["department"]!.AsArray().Select(d => (int)d!));
            Assert.Equal(new[] { 10L, 20L }, user["order"]!.AsArray().Select(o => (long)o!));
            Assert.Equal(new[] { 0, 1 }, user["is_leader_in_dept"]!.AsArray().Select(l => (int)l!));
            Assert.Equal(new[] { "LiSi" }, user["direct_leader"]!.AsArray().Select(l => (string)l!));
            Assert.Equal("工程师", (string)user["position"]!);
            Assert.Equal("2", (string)user["gender"]!);
            Assert.Equal("newhire@example.com", (string)user["email"]!);
            Assert.Equal("newhire@sandbox.wecom.work", (string)user["biz_mail"]!);
            Assert.Equal("020-81234567", (string)user["telephone"]!);
            Assert.Equal("广州", (string)user["address"]!);
            Assert.Equal(5, (int)user["main_department"]!);
            Assert.Equal(4, (int)user["status"]!);
            var attr = Assert.Single(user["extattr"]!["attrs"]!.AsArray());
            Assert.Equal("工号", (string)attr!["name"]!);
            Assert.Equal("E9001", (string)attr["text"]!["value"]!);
            var leaders = Expect(0, await GetAsync(corp, "department/get?id=5"))["department"]!["department_leader"]!.AsArray();
            Assert.Equal(new[] { "WangWu", "NewHire" }, leaders.Select(l => (string)l!));
        }

        [Fact]
        public async Task User_create_defaults_to_the_root_department_and_a_disabled_member_when_enable_is_0()
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(0, await PostAsync(corp, "user/create", Merge(NewHire, "{'enable':0,'gender':1}")));

            var user = Expect(0, await GetAsync(corp, "user/get?userid=NewHire"));
            Assert.Equal(new[] { 1 }, user["department"]!.AsArray().Select(d => (int)d!));
            Assert.Equal(new[] { 0L }, user["order"]!.AsArray().Select(o => (long)o!));
            Assert.Equal(2, (int)user["status"]!);
            Assert.Equal("1", (string)user["gender"]!);
        }

        [Theory]
        [InlineData("department/create", NewDepartment)]
        [InlineData("department/update", "{'id':5,'name':'x'}")]
        [InlineData("department/delete?id=6", null)]
        [InlineData("user/create", NewHire)]
        [InlineData("user/update", "{'userid':'LiSi','name':'x'}")]
        [InlineData("user/delete?userid=XiaoLiu", null)]
        [InlineData("user/batchdelete", "{'useridlist':['XiaoLiu']}")]
        public async Task Only_the_contacts_sync_secret_changes_departments_and_members(string path, string? body)
        {
            await using var corp = await TestCorp.StartAsync();
            var before = (await GetAsync(corp, "user/list_id")).ToJsonString() + (await GetAsync(corp, "department/list")).ToJsonString();

            Expect(48002, body is null ? await GetAsync(corp, path, App) : await PostAsync(corp, path, body, App));
            Assert.Equal(before, (await GetAsync(corp, "user/list_id")).ToJsonString() + (await GetAsync(corp, "department/list")).ToJsonString());
        }

        [Theory]
        [MemberData(nameof(UserUpdateCases))]
        public async Task User_update_rules(string body, int errcode)
        {
            await using var corp = await TestCorp.StartAsync();
            var before = (await GetAsync(corp, "user/get?userid=LiSi")).ToJsonString();
            Expect(errcode, await PostAsync(corp, "user/update", body));

            var after = (await GetAsync(corp, "user/get?userid=LiSi")).ToJsonString();
            Assert.Equal(errcode == 0, before != after);
        }

        [Fact]
        public async Task User_update_changes_given_fields_only()
        {
            await using var corp = await TestCorp.StartAsync();
            var before = Expect(0, await GetAsync(corp, "user/get?userid=SunQi"));
            Expect(0, await PostAsync(corp, "user/update", "{'userid':'SunQi','position':'首席架构师','department':[8,9],'extattr':{'attrs':[{'type':0,'name':'级别','text':{'value':'T4'}}]}}"));

            var after = Expect(0, await GetAsync(corp, "user/get?userid=SunQi"));
            Assert.Equal("首席架构师", (string)after["position"]!);
            Assert.Equal(new[] { 8, 9 }, after["department"]!.AsArray().Select(d => (int)d!));
            // Department 8 keeps its order; 9 is new and gets 0. Department 5 was the main one, so 8 becomes it.
            Assert.Equal(new[] { (long)before["order"]![1]!, 0L }, after["order"]!.AsArray().Select(o => (long)o!));
            Assert.Equal(8, (int)after["main_department"]!);
            Assert.Equal(new[] { "工号", "级别" }, after["extattr"]!["attrs"]!.AsArray().Select(a => (string)a!["name"]!));
            foreach (var field in new[] { "name", "mobile", "email", "biz_mail", "gender", "status", "telephone", "alias", "address" })
            {
                Assert.Equal(before[field]!.ToJsonString(), after[field]!.ToJsonString());
            }
        }

        [Theory]
        [InlineData("LiangBa", 1, 1)]
        [InlineData("ZhengShi", 1, 4)]
        [InlineData("ZhangSan", 1, 1)]
        [InlineData("ZhangSan", 0, 2)]
        [InlineData("ZhengShi", 0, 2)]
        public async Task Enable_switches_between_active_and_disabled_but_never_activates(string userId, int enable, int status)
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(0, await PostAsync(corp, "user/update", $"{{'userid':'{userId}','enable':{enable}}}"));

            Assert.Equal(status, (int)Expect(0, await GetAsync(corp, "user/get?userid=" + userId))["status"]!);
        }

        [Fact]
        public async Task Renaming_a_userid_updates_tags_leaders_and_direct_leaders()
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(0, await PostAsync(corp, "user/create", Merge(NewHire, "{'department':[5],'direct_leader':['WangWu']}")));
            Expect(0, await PostAsync(corp, "user/update", "{'userid':'wangwu','new_userid':'wang.wu','name':'王五五'}"));

            Expect(60111, await GetAsync(corp, "user/get?userid=WangWu"));
            Assert.Equal("王五五", (string)Expect(0, await GetAsync(corp, "user/get?userid=wang.wu"))["name"]!);
            var tag = Expect(0, await GetAsync(corp, "tag/get?tagid=1"))["userlist"]!.AsArray().Select(u => (string)u!["userid"]!);
            Assert.Equal(new[] { "SunQi", "wang.wu", "HanYi" }, tag);
            var leaders = Expect(0, await GetAsync(corp, "department/get?id=5"))["department"]!["department_leader"]!.AsArray();
            Assert.Equal(new[] { "wang.wu" }, leaders.Select(l => (string)l!));
            var directLeader = Expect(0, await GetAsync(corp, "user/get?userid=NewHire"))["direct_leader"]!.AsArray();
            Assert.Equal(new[] { "wang.wu" }, directLeader.Select(l => (string)l!));
        }

        [Fact]
        public async Task Deleting_a_member_removes_them_from_tags_and_leaders()
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(60111, await GetAsync(corp, "user/delete?userid=nobody"));
            Expect(0, await GetAsync(corp, "user/delete?userid=wangwu"));

            Expect(60111, await GetAsync(corp, "user/get?userid=WangWu"));
            var tag = Expect(0, await GetAsync(corp, "tag/get?tagid=1"))["userlist"]!.AsArray().Select(u => (string)u!["userid"]!);
            Assert.Equal(new[] { "SunQi", "HanYi" }, tag);
            Assert.Empty(Expect(0, await GetAsync(corp, "department/get?id=5"))["department"]!["department_leader"]!.AsArray());
        }

        [Theory]
        [InlineData("[]", 40058)]
        [InlineData("['ZhaoLiu','nobody','WuJiu']", 60111)]
        [InlineData("['ZhaoLiu','zhaoliu','WuJiu']", 0)]
        public async Task Batch_delete_is_all_or_nothing(string userIds, int errcode)
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(errcode, await PostAsync(corp, "user/batchdelete", $"{{'useridlist':{userIds}}}"));

            Expect(errcode == 0 ? 60111 : 0, await GetAsync(corp, "user/get?userid=ZhaoLiu"));
            Expect(errcode == 0 ? 60111 : 0, await GetAsync(corp, "user/get?userid=WuJiu"));
        }

        [Fact]
        public async Task Batch_delete_takes_at_most_200_userids()
        {
            await using var corp = await TestCorp.StartAsync();
            var ids = string.Join(",", Enumerable.Repeat("'ZhaoLiu'", 201));

            Expect(40058, await PostAsync(corp, "user/batchdelete", $"{{'useridlist':[{ids}]}}"));
            Expect(0, await GetAsync(corp, "user/get?userid=ZhaoLiu"));
        }

        [Theory]
        [InlineData("{'mobile':'13810000002'}", Sync, "LiSi")]
        [InlineData("{'mobile':'13810000002'}", App, "LiSi")]
        [InlineData("{'mobile':'13810000001'}", App, null)]
        [InlineData("{'mobile':'13999999999'}", Sync, null)]
        public async Task Getuserid_finds_a_visible_member_by_mobile(string body, string secret, string? userId)
        {
            await using var corp = await TestCorp.StartAsync();
            var answer = Expect(userId is null ? 46004 : 0, await PostAsync(corp, "user/getuserid", body, secret));

            Assert.Equal(userId, (string?)answer["userid"]);
        }

        [Theory]
        [InlineData("{'email':'LiSi@sandbox.wecom.work'}", 0, "LiSi")]
        [InlineData("{'email':'lisi@SANDBOX.wecom.work','email_type':1}", 0, "LiSi")]
        [InlineData("{'email':'LiSi@example.com','email_type':2}", 0, "LiSi")]
        [InlineData("{'email':'LiSi@example.com'}", 46004, null)]
        [InlineData("{'email':'LiSi@sandbox.wecom.work','email_type':2}", 46004, null)]
        [InlineData("{'email':'LiSi@example.com','email_type':3}", 40058, null)]
        public async Task Get_userid_by_email_reads_corporate_or_personal_mail(string body, int errcode, string? userId)
        {
            await using var corp = await TestCorp.StartAsync();
            var answer = Expect(errcode, await PostAsync(corp, "user/get_userid_by_email", body));

            Assert.Equal(userId, (string?)answer["userid"]);
        }

        [Theory]
        [InlineData("ZhangSan", Sync, 0)]
        [InlineData("ZhengShi", Sync, 43004)]
        [InlineData("nobody", Sync, 60111)]
        [InlineData("ZhangSan", App, 60011)]
        [InlineData("LiSi", App, 0)]
        public async Task Convert_to_openid_needs_an_activated_visible_member(string userId, string secret, int errcode)
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(errcode, await PostAsync(corp, "user/convert_to_openid", $"{{'userid':'{userId}'}}", secret));
        }

        [Fact]
        public async Task Openids_are_stable_per_member_and_differ_between_members()
        {
            await using var corp = await TestCorp.StartAsync();
            var first = (string)Expect(0, await PostAsync(corp, "user/convert_to_openid", "{'userid':'LiSi'}"))["openid"]!;
            var again = (string)Expect(0, await PostAsync(corp, "user/convert_to_openid", "{'userid':'lisi'}", App))["openid"]!;
            var other = (string)Expect(0, await PostAsync(corp, "user/convert_to_openid", "{'userid':'ZhangSan'}"))["openid"]!;

            Assert.Matches("^oSbx[0-9a-f]{24}$", first);
            Assert.Equal(first, again);
            Assert.NotEqual(first, other);
        }

        [Theory]
        [InlineData("{}", 40058)]
        [InlineData("{'user':[],'party':[],'tag':[]}", 40058)]
        [InlineData("{'user':['LiSi'],'party':[2],'tag':[1]}", 0)]
        public async Task Batch_invite_needs_at_least_one_target(string body, int errcode)
        {
            await using var corp = await TestCorp.StartAsync();
            var answer = Expect(errcode, await PostAsync(corp, "batch/invite", body));

            Assert.DoesNotContain(answer, field => field.Key.StartsWith("invalid", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("user", 1001)]
        [InlineData("party", 101)]
        [InlineData("tag", 101)]
        public async Task Batch_invite_limits_each_list(string field, int count)
        {
            await using var corp = await TestCorp.StartAsync();
            var ids = string.Join(",", Enumerable.Repeat(field == "user" ? "'LiSi'" : "2", count));

            Expect(40058, await PostAsync(corp, "batch/invite", $"{{'{field}':[{ids}]}}"));
            Expect(0, await PostAsync(corp, "batch/invite", $"{{'{field}':[{ids.Substring(ids.IndexOf(',') + 1)}]}}"));
        }

        [Fact]
        public async Task Batch_invite_reports_what_does_not_exist_or_is_out_of_scope()
        {
            await using var corp = await TestCorp.StartAsync();
            var answer = Expect(0, await PostAsync(corp, "batch/invite", "{'user':['LiSi','nobody','ZhangSan'],'party':[5,99,3],'tag':[1,99]}", App));

            Assert.Equal(new[] { "nobody", "ZhangSan" }, answer["invaliduser"]!.AsArray().Select(u => (string)u!));
            Assert.Equal(new[] { 99, 3 }, answer["invalidparty"]!.AsArray().Select(p => (int)p!));
            Assert.Equal(new[] { 99 }, answer["invalidtag"]!.AsArray().Select(t => (int)t!));
        }

        public static TheoryData<string, int> TagCreateCases => new TheoryData<string, int>
        {
            { "{'tagname':''}", 40072 },
            { "{}", 40072 },
            { $"{{'tagname':'{new string('标', 33)}'}}", 40072 },
            { $"{{'tagname':'{new string('标', 32)}'}}", 0 },
            { "{'tagname':'值班'}", 40071 },
            { "{'tagname':'新标签','tagid':-1}", 40068 },
            { "{'tagname':'新标签','tagid':1}", 40068 },
            { "{'tagname':'新标签','tagid':0}", 0 },
        };

        [Theory]
        [MemberData(nameof(TagCreateCases))]
        public async Task Tag_create_rules(string body, int errcode)
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(errcode, await PostAsync(corp, "tag/create", body, App));

            Assert.Equal(errcode == 0 ? 4 : 3, Expect(0, await GetAsync(corp, "tag/list"))["taglist"]!.AsArray().Count);
        }

        [Fact]
        public async Task Any_app_creates_tags_and_only_the_creator_changes_them()
        {
            await using var corp = await TestCorp.StartAsync();
            var created = Expect(0, await PostAsync(corp, "tag/create", "{'tagname':'邮件值班'}", App));
            var chosen = Expect(0, await PostAsync(corp, "tag/create", "{'tagname':'邮件专家','tagid':50}", App));
            var next = Expect(0, await PostAsync(corp, "tag/create", "{'tagname':'邮件新人'}", App));
            Assert.Equal(new[] { 4, 50, 51 }, new[] { created, chosen, next }.Select(t => (int)t["tagid"]!));

            Expect(81011, await PostAsync(corp, "tag/update", "{'tagid':4,'tagname':'改名'}"));
            Expect(81011, await PostAsync(corp, "tag/addtagusers", "{'tagid':4,'userlist':['LiSi']}"));
            Expect(81011, await GetAsync(corp, "tag/delete?tagid=4"));
            Expect(0, await PostAsync(corp, "tag/update", "{'tagid':4,'tagname':'邮件值班组'}", App));
            Expect(0, await PostAsync(corp, "tag/addtagusers", "{'tagid':4,'userlist':['LiSi'],'partylist':[6]}", App));

            var tag = Expect(0, await GetAsync(corp, "tag/get?tagid=4", App));
            Assert.Equal("邮件值班组", (string)tag["tagname"]!);
            Assert.Equal(new[] { "LiSi" }, tag["userlist"]!.AsArray().Select(u => (string)u!["userid"]!));
            Assert.Equal(new[] { 6 }, tag["partylist"]!.AsArray().Select(p => (int)p!));
            Expect(0, await GetAsync(corp, "tag/delete?tagid=4", App));
            Expect(40068, await GetAsync(corp, "tag/get?tagid=4"));
        }

        [Theory]
        [InlineData("tag/update", "{'tagid':TAG,'tagname':'改名'}")]
        [InlineData("tag/delete?tagid=TAG", null)]
        [InlineData("tag/addtagusers", "{'tagid':TAG,'userlist':['LiSi']}")]
        [InlineData("tag/deltagusers", "{'tagid':TAG,'userlist':['WangWu']}")]
        public async Task Tag_changes_need_an_existing_tag_of_the_callers_own(string path, string? body)
        {
            await using var corp = await TestCorp.StartAsync();
            Task<JsonObject> Send(int tagId, string secret) =>
                body is null ? GetAsync(corp, path.Replace("TAG", tagId.ToString()), secret) : PostAsync(corp, path, body.Replace("TAG", tagId.ToString()), secret);
            var before = (await GetAsync(corp, "tag/get?tagid=1")).ToJsonString();

            Expect(40068, await Send(99, Sync));
            Expect(81011, await Send(1, App));
            Assert.Equal(before, (await GetAsync(corp, "tag/get?tagid=1")).ToJsonString());
            Expect(0, await Send(1, Sync));
        }

        [Theory]
        [InlineData("{'tagid':3,'tagname':'值班'}", 0)]
        [InlineData("{'tagid':3,'tagname':'夜间值班'}", 0)]
        [InlineData("{'tagid':3,'tagname':'技术委员会'}", 40071)]
        [InlineData("{'tagid':3,'tagname':''}", 40072)]
        public async Task Tag_update_rules(string body, int errcode)
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(errcode, await PostAsync(corp, "tag/update", body));

            var name = (string)Expect(0, await GetAsync(corp, "tag/get?tagid=3"))["tagname"]!;
            Assert.Equal(errcode == 0 ? (string)JsonNode.Parse(Json(body))!["tagname"]! : "值班", name);
        }

        [Fact]
        public async Task A_corp_holds_at_most_3000_tags()
        {
            var sandbox = WeComSandbox.CreateSample();
            for (var id = 4; id < 3000; id++)
            {
                sandbox.AddTag(new SandboxTag { Id = id, Name = "T" + id, OwnerSecret = Sync });
            }

            await using var corp = await TestCorp.StartAsync(sandbox);
            Expect(0, await PostAsync(corp, "tag/create", "{'tagname':'第3000个'}"));
            Expect(40058, await PostAsync(corp, "tag/create", "{'tagname':'第3001个'}"));
        }

        [Fact]
        public async Task Adding_to_a_tag_reports_invalid_users_as_a_pipe_string_and_departments_as_an_array()
        {
            await using var corp = await TestCorp.StartAsync();
            var answer = Expect(0, await PostAsync(corp, "tag/addtagusers", "{'tagid':3,'userlist':['LiSi','nobody','lisi','ghost'],'partylist':[2,99]}"));

            Assert.Equal("nobody|ghost", answer["invalidlist"]!.GetValue<string>());
            Assert.Equal(new[] { 99 }, answer["invalidparty"]!.AsArray().Select(p => (int)p!));
            Expect(0, await PostAsync(corp, "tag/addtagusers", "{'tagid':3,'userlist':['LISI','XiaoLiu'],'partylist':[2]}"));
            var tag = Expect(0, await GetAsync(corp, "tag/get?tagid=3"));
            Assert.Equal(new[] { "LiSi", "XiaoLiu" }, tag["userlist"]!.AsArray().Select(u => (string)u!["userid"]!));
            Assert.Equal(new[] { 2 }, tag["partylist"]!.AsArray().Select(p => (int)p!));
        }

        [Fact]
        public async Task A_fully_valid_tag_change_reports_nothing_invalid()
        {
            await using var corp = await TestCorp.StartAsync();
            var added = Expect(0, await PostAsync(corp, "tag/addtagusers", "{'tagid':3,'userlist':['LiSi']}"));
            var removed = Expect(0, await PostAsync(corp, "tag/deltagusers", "{'tagid':3,'userlist':['LiSi']}"));

            Assert.Equal(new[] { "errcode", "errmsg" }, added.Select(f => f.Key));
            Assert.Equal(new[] { "errcode", "errmsg" }, removed.Select(f => f.Key));
        }

        [Theory]
        [InlineData("tag/addtagusers", "{'tagid':3,'userlist':['nobody'],'partylist':[99]}", 40070)]
        [InlineData("tag/deltagusers", "{'tagid':1,'userlist':['nobody'],'partylist':[99]}", 40031)]
        [InlineData("tag/addtagusers", "{'tagid':3}", 40058)]
        [InlineData("tag/deltagusers", "{'tagid':1,'userlist':[],'partylist':[]}", 40058)]
        public async Task A_tag_change_with_no_valid_target_fails_and_changes_nothing(string path, string body, int errcode)
        {
            await using var corp = await TestCorp.StartAsync();
            var before = (await GetAsync(corp, "tag/list")).ToJsonString() + (await GetAsync(corp, "tag/get?tagid=1")).ToJsonString() + (await GetAsync(corp, "tag/get?tagid=3")).ToJsonString();

            Expect(errcode, await PostAsync(corp, path, body));
            Assert.Equal(before, (await GetAsync(corp, "tag/list")).ToJsonString() + (await GetAsync(corp, "tag/get?tagid=1")).ToJsonString() + (await GetAsync(corp, "tag/get?tagid=3")).ToJsonString());
        }

        [Fact]
        public async Task An_app_adds_only_members_and_departments_in_its_scope()
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(0, await PostAsync(corp, "tag/create", "{'tagname':'邮件值班','tagid':10}", App));

            Expect(40070, await PostAsync(corp, "tag/addtagusers", "{'tagid':10,'userlist':['ZhangSan'],'partylist':[3]}", App));
            var answer = Expect(0, await PostAsync(corp, "tag/addtagusers", "{'tagid':10,'userlist':['ZhangSan','WangWu'],'partylist':[3,5]}", App));
            Assert.Equal("ZhangSan", (string)answer["invalidlist"]!);
            Assert.Equal(new[] { 3 }, answer["invalidparty"]!.AsArray().Select(p => (int)p!));
            var tag = Expect(0, await GetAsync(corp, "tag/get?tagid=10"));
            Assert.Equal(new[] { "WangWu" }, tag["userlist"]!.AsArray().Select(u => (string)u!["userid"]!));
            Assert.Equal(new[] { 5 }, tag["partylist"]!.AsArray().Select(p => (int)p!));
        }

        [Theory]
        [InlineData("tag/addtagusers", "userlist", "'LiSi'", 1001)]
        [InlineData("tag/addtagusers", "partylist", "2", 101)]
        [InlineData("tag/deltagusers", "userlist", "'SunQi'", 1001)]
        [InlineData("tag/deltagusers", "partylist", "8", 101)]
        public async Task A_tag_call_names_at_most_1000_users_and_100_departments(string path, string field, string id, int count)
        {
            await using var corp = await TestCorp.StartAsync();
            var ids = string.Join(",", Enumerable.Repeat(id, count));

            Expect(81014, await PostAsync(corp, path, $"{{'tagid':1,'{field}':[{ids}]}}"));
            Expect(0, await PostAsync(corp, path, $"{{'tagid':1,'{field}':[{ids.Substring(ids.IndexOf(',') + 1)}]}}"));
        }

        [Fact]
        public async Task A_tag_holds_at_most_30000_users_and_departments()
        {
            var sandbox = WeComSandbox.CreateSample();
            var tag = new SandboxTag { Id = 9, Name = "全员", OwnerSecret = Sync, Departments = { 1 } };
            tag.Users.AddRange(Enumerable.Range(0, 29998).Select(i => "former" + i));
            sandbox.AddTag(tag);

            await using var corp = await TestCorp.StartAsync(sandbox);
            Expect(81003, await PostAsync(corp, "tag/addtagusers", "{'tagid':9,'userlist':['LiSi','WangWu']}"));
            Expect(0, await PostAsync(corp, "tag/addtagusers", "{'tagid':9,'userlist':['LiSi']}"));
        }

        [Fact]
        public async Task Removing_from_a_tag_ignores_targets_not_in_it_and_reports_unknown_ones()
        {
            await using var corp = await TestCorp.StartAsync();
            var answer = Expect(0, await PostAsync(corp, "tag/deltagusers", "{'tagid':1,'userlist':['sunqi','nobody','LiSi'],'partylist':[8,99,2]}"));

            Assert.Equal("nobody", answer["invalidlist"]!.GetValue<string>());
            Assert.Equal(new[] { 99 }, answer["invalidparty"]!.AsArray().Select(p => (int)p!));
            var tag = Expect(0, await GetAsync(corp, "tag/get?tagid=1"));
            Assert.Equal(new[] { "WangWu", "HanYi" }, tag["userlist"]!.AsArray().Select(u => (string)u!["userid"]!));
            Assert.Empty(tag["partylist"]!.AsArray());
        }

        [Fact]
        public async Task Deleting_a_department_removes_it_from_tags()
        {
            await using var corp = await TestCorp.StartAsync();
            Expect(0, await PostAsync(corp, "department/create", "{'name':'空部门','parentid':1,'id':20}"));
            Expect(0, await PostAsync(corp, "tag/addtagusers", "{'tagid':3,'partylist':[20,10]}"));
            Expect(0, await GetAsync(corp, "department/delete?id=20"));

            var tag = Expect(0, await GetAsync(corp, "tag/get?tagid=3"));
            Assert.Equal(new[] { 10 }, tag["partylist"]!.AsArray().Select(p => (int)p!));
        }

        private static async Task<int> MemberCountAsync(TestCorp corp) =>
            Expect(0, await PostAsync(corp, "user/list_id", "{}"))["dept_user"]!.AsArray().Select(row => (string)row!["userid"]!).Distinct().Count();

        private static async Task<int[]> DepartmentIdsAsync(TestCorp corp) =>
            Expect(0, await GetAsync(corp, "department/simplelist"))["department_id"]!.AsArray().Select(d => (int)d!["id"]!).ToArray();

        private static JsonObject Expect(int errcode, JsonObject answer)
        {
            Assert.True((int)answer["errcode"]! == errcode, $"expected errcode {errcode}, got {answer.ToJsonString()}");
            return answer;
        }

        /// <summary>Test JSON is written with single quotes; this turns it into JSON.</summary>
        private static string Json(string text) => text.Replace('\'', '"');

        /// <summary><paramref name="baseBody"/> with the fields of <paramref name="change"/> set, or removed where they are null.</summary>
        private static string Merge(string baseBody, string change)
        {
            var body = JsonNode.Parse(Json(baseBody))!.AsObject();
            foreach (var field in JsonNode.Parse(Json(change))!.AsObject().ToList())
            {
                body.Remove(field.Key);
                if (field.Value != null)
                {
                    body[field.Key] = field.Value.DeepClone();
                }
            }

            return body.ToJsonString();
        }

        private static Task<JsonObject> GetAsync(TestCorp corp, string pathAndQuery, string secret = Sync) => SendAsync(corp, pathAndQuery, null, secret);

        private static Task<JsonObject> PostAsync(TestCorp corp, string path, string body, string secret = Sync) => SendAsync(corp, path, Json(body), secret);

        private static async Task<JsonObject> SendAsync(TestCorp corp, string pathAndQuery, string? body, string secret)
        {
            var http = corp.Own(new HttpClient());
            var token = await ReadAsync(await http.GetAsync(new Uri(corp.Server.BaseUri, $"gettoken?corpid={corp.Sandbox.CorpId}&corpsecret={Uri.EscapeDataString(secret)}")));
            var uri = new Uri(corp.Server.BaseUri, pathAndQuery + (pathAndQuery.Contains('?') ? "&" : "?") + "access_token=" + (string)token["access_token"]!);
            return await ReadAsync(body is null ? await http.GetAsync(uri) : await http.PostAsync(uri, new StringContent(body, Encoding.UTF8, "application/json")));
        }

        private static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
        {
            using (response)
            {
                Assert.Equal(200, (int)response.StatusCode);
                return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            }
        }
    }
}
