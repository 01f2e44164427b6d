using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>
    /// Contract tests from WeCom's own JSON examples (Fixtures/*.json, each with the page it came from). Core parses
    /// each one, served as WeCom's answer, and every documented field either lands in the typed model or is on an
    /// explicit list of fields deliberately ignored; the sandbox answers with the same field names and JSON types.
    /// </summary>
    public class ContractTests
    {
        /// <summary>The envelope of every answer: branched on by the client, not data.</summary>
        private static readonly string[] Envelope = { "errcode", "errmsg" };

        /// <summary>Attribute fields WeComPS does not keep: the type (the value tells it), a web page's title, a mini program's appid and title.</summary>
        private static readonly string[] IgnoredAttributeFields = { "type", "web.title", "miniprogram.appid", "miniprogram.title" };

        /// <summary>Every field of a member (user/get, user/list, export/user) and the model property it lands in.</summary>
        private static readonly Dictionary<string, string> MemberFields = new Dictionary<string, string>
        {
            ["userid"] = nameof(WeComUser.UserId), ["name"] = nameof(WeComUser.Name), ["department"] = nameof(WeComUser.Department),
            ["order"] = nameof(WeComUser.Order), ["position"] = nameof(WeComUser.Position), ["mobile"] = nameof(WeComUser.Mobile),
            ["gender"] = nameof(WeComUser.Gender), ["email"] = nameof(WeComUser.Email), ["biz_mail"] = nameof(WeComUser.BizMail),
            ["is_leader_in_dept"] = nameof(WeComUser.IsLeaderInDept), ["direct_leader"] = nameof(WeComUser.DirectLeader),
            ["avatar"] = nameof(WeComUser.Avatar), ["thumb_avatar"] = nameof(WeComUser.ThumbAvatar), ["telephone"] = nameof(WeComUser.Telephone),
            ["alias"] = nameof(WeComUser.Alias), ["address"] = nameof(WeComUser.Address), ["open_userid"] = nameof(WeComUser.OpenUserId),
            ["main_department"] = nameof(WeComUser.MainDepartment), ["extattr"] = nameof(WeComUser.ExtAttr), ["status"] = nameof(WeComUser.Status),
            ["qr_code"] = nameof(WeComUser.QrCode), ["external_position"] = nameof(WeComUser.ExternalPosition),
            ["external_profile"] = nameof(WeComUser.ExternalProfile), ["english_name"] = nameof(WeComUser.EnglishName),
        };

        private static readonly Dictionary<string, string> DepartmentFields = new Dictionary<string, string>
        {
            ["id"] = nameof(WeComDepartment.Id), ["name"] = nameof(WeComDepartment.Name), ["name_en"] = nameof(WeComDepartment.NameEn),
            ["department_leader"] = nameof(WeComDepartment.Leaders), ["parentid"] = nameof(WeComDepartment.ParentId), ["order"] = nameof(WeComDepartment.Order),
        };

        /// <summary>Fields of WeCom's examples the sample corp's answers (with the contacts-sync secret, a self-built app's view) leave out, and why.</summary>
        private static readonly Dictionary<string, string> NotServedBySandbox = new Dictionary<string, string>
        {
            ["open_userid"] = "returned to third-party apps only (仅第三方应用可获取)",
            ["english_name"] = "a field of older members; the admin console no longer sets it",
        };

        /// <summary>The kinds of attribute (extattr, external_attr): each record has the field of its own type only.</summary>
        private static readonly string[] AttributeVariants = { "text", "web", "miniprogram" };

        [Fact]
        public async Task The_token_answer_sets_the_token_and_its_lifetime()
        {
            using var wecom = new FixtureWeCom();
            var connection = wecom.Connect();
            await connection.ValidateAsync(CancellationToken.None);

            Assert.InRange(connection.TokenExpiresOn!.Value, DateTimeOffset.UtcNow.AddSeconds(7100), DateTimeOffset.UtcNow.AddSeconds(7300));
            AssertCovered("gettoken", Item(Fixture("gettoken")), new[] { "access_token", "expires_in" });
        }

        [Theory]
        [InlineData("department-list")]
        [InlineData("department-get")]
        public async Task Departments_land_in_the_model_field_by_field(string name)
        {
            using var wecom = new FixtureWeCom();
            var tree = name == "department-list"
                ? await wecom.Connect().Departments.GetTreeAsync(CancellationToken.None)
                : new[] { DepartmentOperations.Parse(JsonDocument.Parse(Item(Fixture(name))["department"]!.ToJsonString()).RootElement) };

            var first = tree.First(d => d.Id == 2);
            Assert.Equal(("广州研发中心", "RDGZ", 1, 10L), (first.Name, first.NameEn, first.ParentId, first.Order));
            Assert.Equal(new[] { "zhangsan", "lisi" }, first.Leaders);
            var item = name == "department-list" ? Item(Fixture(name))["department"]![0]!.AsObject() : Item(Fixture(name))["department"]!.AsObject();
            AssertCovered(name, item, first, DepartmentFields);
        }

        [Fact]
        public async Task The_department_id_tree_lands_in_the_model()
        {
            using var wecom = new FixtureWeCom();
            var tree = await wecom.Connect().Departments.GetIdTreeAsync(CancellationToken.None);

            Assert.Equal((3, 2, 40L), (tree.Single(d => d.Id == 3).Id, tree.Single(d => d.Id == 3).ParentId, tree.Single(d => d.Id == 3).Order));
            AssertCovered("department-simplelist", Item(Fixture("department-simplelist"))["department_id"]![0]!.AsObject(), tree.First(), DepartmentFields);
        }

        [Theory]
        [InlineData("user-get")]
        [InlineData("user-list")]
        [InlineData("user-simplelist")]
        public async Task Members_land_in_the_model_field_by_field(string name)
        {
            using var wecom = new FixtureWeCom();
            var connection = wecom.Connect();
            var user = name == "user-get"
                ? (await connection.Users.GetAsync(new[] { "zhangsan" }).ValuesAsync()).Single()
                : (await connection.Users.GetByDepartmentAsync(new[] { 1 }, recurse: false, simple: name == "user-simplelist").ValuesAsync()).Single();

            Assert.Equal(new[] { 1, 2 }, user.Department);
            if (name != "user-simplelist")
            {
                Assert.Equal((WeComGender.Male, WeComUserStatus.Active, true), (user.Gender, user.Status, user.IsLeaderInDept![0]));
                Assert.Equal(("文本", "http://www.test.com"), (user.ExtAttr!["文本名称"], user.ExtAttr["网页名称"]));
                Assert.Equal(("企业简称", "视频号名称", 1), (user.ExternalProfile!.CorpName, user.ExternalProfile.WeChatChannelsNickname, user.ExternalProfile.WeChatChannelsStatus));
                Assert.Equal(("文本", "http://www.test.com", "/index"), (user.ExternalProfile.Attributes!["文本名称"], user.ExternalProfile.Attributes["网页名称"], user.ExternalProfile.Attributes["测试app"]));
            }

            AssertCovered(name, name == "user-get" ? Item(Fixture(name)) : Item(Fixture(name))["userlist"]![0]!.AsObject(), user, MemberFields);
        }

        [Fact]
        public async Task Every_userid_and_department_of_list_id_lands_in_the_model()
        {
            using var wecom = new FixtureWeCom();
            var users = await wecom.Connect().Users.ListIdsAsync(CancellationToken.None);

            Assert.Equal(new[] { 1, 2 }, users.Single(u => u.UserId == "zhangsan").Department);
            Assert.Equal(new[] { 2 }, users.Single(u => u.UserId == "lisi").Department);
            // next_cursor is followed (the fixture's "aaaaaaaaa" page is the last the stub serves).
            AssertCovered("user-list_id", Item(Fixture("user-list_id")), new[] { "next_cursor", "dept_user[].userid", "dept_user[].department" });
        }

        [Fact]
        public async Task Tags_and_their_members_land_in_the_model()
        {
            using var wecom = new FixtureWeCom();
            var connection = wecom.Connect();
            var tags = await connection.Tags.GetAllAsync(CancellationToken.None);
            var members = await connection.Tags.GetMembersAsync(1, CancellationToken.None);

            Assert.Equal(new[] { (1, "a"), (2, "b") }, tags.Select(t => (t.TagId, t.TagName)));
            var user = members.OfType<WeComTagUser>().Single();
            Assert.Equal(("乒乓球协会", "zhangsan", "李四"), (user.TagName, user.UserId, user.Name));
            Assert.Equal(2, members.OfType<WeComTagDepartment>().Single().DepartmentId);
            AssertCovered("tag-list", Item(Fixture("tag-list")), new[] { "taglist[].tagid", "taglist[].tagname" });
            AssertCovered("tag-get", Item(Fixture("tag-get")), new[] { "tagname", "userlist[].userid", "userlist[].name", "partylist[]" });
        }

        [Theory]
        [InlineData("batch-getresult-user")]
        [InlineData("batch-getresult-party")]
        public async Task Job_results_land_in_the_model(string name)
        {
            using var wecom = new FixtureWeCom { JobResult = name };
            var job = await wecom.Connect().Jobs.GetAsync("jobid", CancellationToken.None);

            Assert.Equal((WeComJobStatus.Finished, 2, 100), (job.Status, job.Total, job.Percentage));
            Assert.Equal(2, job.Results.Count);
            Assert.All(job.Results, r => Assert.Equal(WeComJobResultStatus.Succeeded, r.Status));
            if (name == "batch-getresult-party")
            {
                Assert.Equal((WeComJobType.ReplaceParty, WeComJobAction.Move, 2), (job.Type, job.Results[1].Action, job.Results[1].DepartmentId));
            }
            else
            {
                Assert.Equal((WeComJobType.ReplaceUser, "zhangsan"), (job.Type, job.Results[1].UserId));
            }

            AssertCovered(name, Item(Fixture(name)), new[] { "status", "type", "total", "percentage", "result[].userid", "result[].partyid", "result[].action", "result[].errcode", "result[].errmsg" });
        }

        [Theory]
        [InlineData("export-file-simple_user")]
        [InlineData("export-file-user")]
        [InlineData("export-file-department")]
        [InlineData("export-file-taguser")]
        public async Task Export_results_and_files_land_in_the_model(string name)
        {
            using var wecom = new FixtureWeCom { ExportFile = name };
            var exports = wecom.Connect().Exports;
            exports.MaxPollInterval = TimeSpan.FromMilliseconds(10);

            var file = Item(Fixture(name));
            switch (name)
            {
                case "export-file-department":
                    var departments = await exports.ExportDepartmentsAsync(null, CancellationToken.None);
                    AssertCovered(name, file["department"]![0]!.AsObject(), departments.Single(), DepartmentFields);
                    break;
                case "export-file-taguser":
                    var members = await exports.ExportTagMembersAsync(1, null, CancellationToken.None).ToListAsync();
                    var user = members.OfType<WeComTagUser>().Single();
                    Assert.Equal(("乒乓球协会", "zhangsan", "张三"), (user.TagName, user.UserId, user.Name));
                    Assert.Equal(2, members.OfType<WeComTagDepartment>().Single().DepartmentId);
                    AssertCovered(name, file, new[] { "tagname", "userlist[].userid", "userlist[].name", "partylist[]" });
                    break;
                default:
                    var users = await exports.ExportUsersAsync(name == "export-file-simple_user", null, CancellationToken.None).ToListAsync();
                    Assert.Equal("zhangsan", users[0].UserId);
                    AssertCovered(name, file["userlist"]![0]!.AsObject(), users[0], MemberFields);
                    break;
            }

            // The download follows data_list (url, size and md5 checked); the start answers a jobid.
            AssertCovered("export-get_result", Item(Fixture("export-get_result")), new[] { "status", "data_list[].url", "data_list[].size", "data_list[].md5" });
            AssertCovered("export-start", Item(Fixture("export-start")), new[] { "jobid" });
        }

        [Theory]
        [InlineData("gettoken", "gettoken")]
        [InlineData("department-list", "department/list")]
        [InlineData("department-simplelist", "department/simplelist")]
        [InlineData("department-get", "department/get?id=1")]
        [InlineData("user-get", "user/get?userid=ZhangSan")]
        [InlineData("user-list", "user/list?department_id=1")]
        [InlineData("user-simplelist", "user/simplelist?department_id=1")]
        [InlineData("user-list_id", "user/list_id")]
        [InlineData("tag-list", "tag/list")]
        [InlineData("tag-get", "tag/get?tagid=1")]
        public async Task The_sandbox_answers_with_the_fields_and_types_of_wecoms_examples(string name, string call)
        {
            await using var corp = await TestCorp.StartAsync();
            var answer = call == "gettoken"
                ? JsonNode.Parse(await corp.Own(new HttpClient()).GetStringAsync(new Uri(corp.Server.BaseUri, $"gettoken?corpid={corp.Sandbox.CorpId}&corpsecret={WeComSandbox.SampleContactsSecret}")))!.AsObject()
                : await corp.CallAsync(call, call == "user/list_id" ? "{}" : null);

            AssertSameShape(name, Item(Fixture(name)), answer);
        }

        [Fact]
        public async Task The_sandboxs_jobs_and_exports_answer_with_the_fields_and_types_of_wecoms_examples()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            var plan = await connection.Jobs.PlanUsersAsync(new[] { new WeComUserChange { UserId = "LiSi", Position = "总监" } }, replace: false, null, CancellationToken.None);
            var job = await connection.Jobs.StartAsync(plan, null, CancellationToken.None);
            await connection.Jobs.WaitAsync(job.JobId, null, CancellationToken.None);
            AssertSameShape("batch-getresult-user", Item(Fixture("batch-getresult-user")), await corp.CallAsync("batch/getresult?jobid=" + job.JobId));

            var key = WeComExportCrypto.NewKey();
            foreach (var (path, fileFixture, body) in new[]
            {
                ("export/simple_user", "export-file-simple_user", "{}"),
                ("export/user", "export-file-user", "{}"),
                ("export/department", "export-file-department", "{}"),
                ("export/taguser", "export-file-taguser", "{\"tagid\":1}"),
            })
            {
                var start = JsonNode.Parse(body)!.AsObject();
                start["encoding_aeskey"] = key;
                var started = await corp.CallAsync(path, start.ToJsonString());
                AssertSameShape("export-start", Item(Fixture("export-start")), started);
                JsonObject result;
                do
                {
                    result = await corp.CallAsync("export/get_result?jobid=" + (string?)started["jobid"]);
                }
                while ((int?)result["status"] != 2);

                AssertSameShape("export-get_result", Item(Fixture("export-get_result")), result);
                var cipher = await corp.Own(new HttpClient()).GetByteArrayAsync((string?)result["data_list"]![0]!["url"]);
                var file = JsonNode.Parse(WeComExportCrypto.Decrypt(cipher, key))!.AsObject();
                AssertSameShape(fileFixture, Item(Fixture(fileFixture)), fileFixture == "export-file-user" ? ZhangSanOnly(file) : file);
            }
        }

        /// <summary>The export/user file with ZhangSan alone: the sample member whose record has every field (an external profile among them).</summary>
        private static JsonObject ZhangSanOnly(JsonObject file) =>
            new JsonObject { ["userlist"] = new JsonArray(file["userlist"]!.AsArray().Where(u => (string?)u!["userid"] == "ZhangSan").Select(u => u!.DeepClone()).ToArray()) };

        /// <summary>The fixture's answer without its source.</summary>
        private static JsonObject Item(JsonObject fixture) => fixture["response"]!.AsObject();

        private static JsonObject Fixture(string name, [CallerFilePath] string here = "")
        {
            var fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", name + ".json")))!.AsObject();
            Assert.StartsWith("https://developer.work.weixin.qq.com/document/", (string?)fixture["source"]);
            return fixture;
        }

        /// <summary>
        /// Every field of <paramref name="item"/> (one record of WeCom's example) is in <paramref name="fields"/>, and the
        /// model property it names is set on <paramref name="model"/>, or is deliberately ignored.
        /// </summary>
        private static void AssertCovered(string name, JsonObject item, object model, Dictionary<string, string> fields)
        {
            foreach (var path in Paths(item).Where(p => !Envelope.Contains(p)))
            {
                var top = path.Split('.', '[')[0];
                if (top == "extattr" || top == "external_profile")
                {
                    Assert.True(IgnoredAttributeFields.Any(i => path.EndsWith("." + i, StringComparison.Ordinal)) || AttributeFieldKept(path), $"{name}: {path} is neither read nor on the ignored list");
                }

                Assert.True(fields.ContainsKey(top), $"{name}: {path} is neither read into the model nor on the ignored list");
                Assert.True(model.GetType().GetProperty(fields[top])!.GetValue(model) != null, $"{name}: {path} did not land in {model.GetType().Name}.{fields[top]}");
            }
        }

        /// <summary>The attribute fields WeComPS keeps: the name, and the value of a text, web page or mini program; a channel's name and status; the corp name.</summary>
        private static bool AttributeFieldKept(string field) =>
            new[] { ".name", ".text.value", ".web.url", ".miniprogram.pagepath", "wechat_channels.nickname", "wechat_channels.status", "external_corp_name" }.Any(k => field.EndsWith(k, StringComparison.Ordinal));

        /// <summary>Every field of <paramref name="answer"/> but the envelope is among <paramref name="read"/>: an answer the client reads field by field itself.</summary>
        private static void AssertCovered(string name, JsonObject answer, string[] read)
        {
            foreach (var path in Paths(answer).Where(p => !Envelope.Contains(p)))
            {
                Assert.True(read.Contains(path), $"{name}: {path} is neither read nor on the ignored list");
            }
        }

        /// <summary>Where both have a field it has the same JSON type; the sandbox invents none, and leaves out only those it says why.</summary>
        private static void AssertSameShape(string name, JsonObject wecom, JsonObject sandbox)
        {
            var expected = Kinds(wecom);
            var actual = Kinds(sandbox);
            foreach (var (path, kind) in actual)
            {
                Assert.True(expected.ContainsKey(path), $"{name}: the sandbox answers {path}, which WeCom's example has not");
                Assert.True(expected[path] == kind, $"{name}: {path} is {kind} in the sandbox's answer but {expected[path]} in WeCom's example");
            }

            foreach (var path in expected.Keys.Where(p => !actual.ContainsKey(p)))
            {
                var segments = path.Split('.').Select(s => s.TrimEnd('[', ']')).ToList();
                Assert.True(
                    NotServedBySandbox.ContainsKey(segments.Last()) || segments.Any(AttributeVariants.Contains) || IsInsideEmpty(path, actual),
                    $"{name}: the sandbox leaves out {path}");
            }
        }

        /// <summary>True when a parent array of <paramref name="path"/> is in the sandbox's answer but empty (nothing to show the field in).</summary>
        private static bool IsInsideEmpty(string path, Dictionary<string, JsonValueKind> actual) =>
            Enumerable.Range(1, path.Length).Select(i => path.Substring(0, i)).Where(p => p.EndsWith("[]", StringComparison.Ordinal)).Any(p => !actual.Keys.Any(k => k.StartsWith(p + ".", StringComparison.Ordinal) || k == p) && actual.ContainsKey(p.Substring(0, p.Length - 2)));

        /// <summary>Every leaf and container path (arrays as "[]") with its JSON type.</summary>
        private static Dictionary<string, JsonValueKind> Kinds(JsonObject answer)
        {
            var kinds = new Dictionary<string, JsonValueKind>();
            void Walk(JsonNode? node, string path)
            {
                var kind = node is null ? JsonValueKind.Null : node.GetValueKind();
                if (path.Length > 0)
                {
                    kinds[path] = kind;
                }

                switch (node)
                {
                    case JsonObject o:
                        foreach (var p in o)
                        {
                            Walk(p.Value, path.Length == 0 ? p.Key : path + "." + p.Key);
                        }

                        break;
                    case JsonArray a:
                        foreach (var item in a)
                        {
                            Walk(item, path + "[]");
                        }

                        break;
                }
            }

            Walk(answer, "");
            return kinds;
        }

        /// <summary>The leaf paths of <paramref name="answer"/>: fields, array items as "[]".</summary>
        private static IEnumerable<string> Paths(JsonObject answer) =>
            Kinds(answer).Where(k => k.Value != JsonValueKind.Object && !(k.Value == JsonValueKind.Array && Kinds(answer).Keys.Any(p => p.StartsWith(k.Key + "[]", StringComparison.Ordinal)))).Select(k => k.Key);

        /// <summary>WeCom answering with its documented examples, over the module's public HTTP handler seam.</summary>
        private sealed class FixtureWeCom : HttpMessageHandler
        {
            private string? _exportKey;

            /// <summary>The fixture batch/getresult answers with.</summary>
            public string JobResult { get; set; } = "batch-getresult-user";

            /// <summary>The fixture every export file is, encrypted with the key the export was started with.</summary>
            public string ExportFile { get; set; } = "export-file-user";

            public WeComConnection Connect()
            {
                var connection = new WeComConnection("wwfixture", TestCorp.Secure("fixture-secret"), new Uri("https://fixture.invalid/cgi-bin/"), null, this);
                return connection;
            }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var path = request.RequestUri!.AbsolutePath;
                if (path.StartsWith("/files/", StringComparison.Ordinal))
                {
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(ExportCipher()) };
                }

                var api = path.Substring("/cgi-bin/".Length);
                if (api.StartsWith("export/", StringComparison.Ordinal) && api != "export/get_result")
                {
                    _exportKey = (string?)JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!["encoding_aeskey"];
                }

                var answer = api switch
                {
                    "gettoken" => Item(Fixture("gettoken")),
                    "department/list" => Item(Fixture("department-list")),
                    "department/simplelist" => Item(Fixture("department-simplelist")),
                    "user/get" => Item(Fixture("user-get")),
                    "user/list" => Item(Fixture("user-list")),
                    "user/simplelist" => Item(Fixture("user-simplelist")),
                    "user/list_id" => LastPage(Item(Fixture("user-list_id"))),
                    "tag/list" => Item(Fixture("tag-list")),
                    "tag/get" => Item(Fixture("tag-get")),
                    "batch/getresult" => Item(Fixture(JobResult)),
                    "export/get_result" => ExportResult(),
                    _ when api.StartsWith("export/", StringComparison.Ordinal) => Item(Fixture("export-start")),
                    _ => throw new InvalidOperationException("No fixture for " + api),
                };
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/json") };
            }

            /// <summary>list_id's example as the last page: an empty next_cursor ends the paging.</summary>
            private static JsonObject LastPage(JsonObject page)
            {
                page["next_cursor"] = "";
                return page;
            }

            /// <summary>get_result's example with one file, its size and md5 those of the encrypted fixture.</summary>
            private JsonObject ExportResult()
            {
                var result = Item(Fixture("export-get_result"));
                var cipher = ExportCipher();
                using var md5 = MD5.Create();
                result["data_list"] = new JsonArray(new JsonObject
                {
                    ["url"] = "https://fixture.invalid/files/1",
                    ["size"] = cipher.Length,
                    ["md5"] = string.Concat(md5.ComputeHash(cipher).Select(b => b.ToString("x2"))),
                });
                return result;
            }

            /// <summary>The export file fixture, encrypted as WeCom does.</summary>
            private byte[] ExportCipher() =>
                WeComSandbox.Encrypt(Encoding.UTF8.GetBytes(Item(Fixture(ExportFile)).ToJsonString()), WeComExportCrypto.KeyOf(_exportKey!));
        }
    }
}
