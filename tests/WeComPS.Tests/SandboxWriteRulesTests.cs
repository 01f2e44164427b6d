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
