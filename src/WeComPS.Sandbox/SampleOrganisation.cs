using System.Collections.Generic;
using System.Linq;

namespace WeComPS.Sandbox
{
    // The built-in sample corp that Connect-WeCom -Sandbox opens.
    public sealed partial class WeComSandbox
    {
        /// <summary>The sample corp's id.</summary>
        public const string SampleCorpId = "wwsandbox0000000001";

        /// <summary>The sample corp's contacts-sync secret: may read everything and change the directory.</summary>
        public const string SampleContactsSecret = "sandbox-contacts-sync-secret";

        /// <summary>
        /// The secret of a self-built app created after 2022-06-20 whose visible scope is 邮箱产品部 (department 2):
        /// it reads only that subtree and gets no mobile, email, gender, avatar or address.
        /// </summary>
        public const string SampleAppSecret = "sandbox-app-secret";

        /// <summary>
        /// The contacts-sync secret called from an IP added to 通讯录同步 after 2022-08-15, as from every new server:
        /// writes, jobs, tags, department/simplelist and user/list_id work; names and details answer 48009.
        /// </summary>
        public const string SampleNewIpContactsSecret = "sandbox-contacts-sync-secret-new-ip";

        /// <summary>
        /// The secret of a self-built app (created after 2022-06-20) whose visible scope is the whole corp and whose
        /// trusted IPs list the caller: reads every name and detail but the withheld fields. The recommended partner of
        /// a new-IP contacts-sync secret.
        /// </summary>
        public const string SampleDirectoryAppSecret = "sandbox-directory-app-secret";

        /// <summary>A self-built app whose trusted IPs (企业可信IP) do not list the caller: every call answers 60020.</summary>
        public const string SampleUntrustedAppSecret = "sandbox-untrusted-ip-app-secret";

        /// <summary>An app whose visible scope names a department (支付组, 7), a member (ZhangSan) and a tag (技术委员会, 1).</summary>
        public const string SampleScopedAppSecret = "sandbox-scoped-app-secret";

        /// <summary>A small corp: 10 departments, 24 members (some in two departments), 3 tags.</summary>
        public static WeComSandbox CreateSample()
        {
            var sandbox = new WeComSandbox(SampleCorpId);
            AddSampleApps(sandbox, 2);

            void Department(int id, string name, int parent, long order, string? nameEn = null) =>
                sandbox.AddDepartment(new SandboxDepartment { Id = id, Name = name, ParentId = parent, Order = order, NameEn = nameEn });

            Department(1, "广州研发中心", 0, 100000000, "Guangzhou R&D");
            Department(2, "邮箱产品部", 1, 300, "Mail");
            Department(3, "微信产品部", 1, 200, "WeChat");
            Department(4, "企业微信产品部", 1, 100, "WeCom");
            Department(5, "邮箱后台组", 2, 20);
            Department(6, "邮箱前端组", 2, 10);
            Department(7, "支付组", 3, 10);
            Department(8, "基础架构组", 4, 20);
            Department(9, "移动端组", 4, 10);
            Department(10, "测试部", 1, 50, "QA");

            var n = 0;
            void User(string userId, string name, int[] departments, int gender, string position, int status = 1, int leaderOf = 0)
            {
                n++;
                sandbox.AddUser(new SandboxUser
                {
                    UserId = userId,
                    Name = name,
                    Department = departments.ToList(),
                    Order = departments.Select(_ => (long)(100 - n)).ToList(),
                    IsLeaderInDept = departments.Select(d => d == leaderOf ? 1 : 0).ToList(),
                    MainDepartment = departments[0],
                    Gender = gender,
                    Position = position,
                    Status = status,
                    NeverActivated = status == 4,
                    Mobile = "138" + (10000000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Email = userId + "@example.com",
                    BizMail = userId + "@sandbox.wecom.work",
                    Telephone = "020-8" + (1000000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Avatar = "https://wework.qpic.cn/sandbox/" + userId + "/0",
                    Address = "广州市海珠区新港中路",
                    TextAttributes = new Dictionary<string, string> { ["工号"] = "E" + (1000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                });
            }

            User("ZhangSan", "张三", new[] { 1 }, 1, "总经理", leaderOf: 1);
            User("LiSi", "李四", new[] { 2, 5 }, 1, "产品总监", leaderOf: 2);
            User("WangWu", "王五", new[] { 5 }, 1, "后台工程师", leaderOf: 5);
            User("ZhaoLiu", "赵六", new[] { 5 }, 2, "后台工程师");
            User("SunQi", "孙七", new[] { 5, 8 }, 1, "架构师");
            User("ZhouBa", "周八", new[] { 6 }, 2, "前端工程师", leaderOf: 6);
            User("WuJiu", "吴九", new[] { 6 }, 2, "前端工程师");
            User("ZhengShi", "郑十", new[] { 6 }, 1, "设计师", status: 4);
            User("ChenYi", "陈一", new[] { 3 }, 2, "产品总监", leaderOf: 3);
            User("HuangEr", "黄二", new[] { 7 }, 1, "支付工程师", leaderOf: 7);
            User("LinSan", "林三", new[] { 7 }, 2, "支付工程师");
            User("HeSi", "何四", new[] { 7, 10 }, 1, "测试工程师");
            User("GuoWu", "郭五", new[] { 4 }, 1, "产品总监", leaderOf: 4);
            User("MaLiu", "马六", new[] { 8 }, 1, "运维工程师", leaderOf: 8);
            User("LuoQi", "罗七", new[] { 8 }, 2, "运维工程师");
            User("LiangBa", "梁八", new[] { 8 }, 1, "数据库工程师", status: 2);
            User("SongJiu", "宋九", new[] { 9 }, 2, "iOS工程师", leaderOf: 9);
            User("XieShi", "谢十", new[] { 9 }, 1, "Android工程师");
            User("HanYi", "韩一", new[] { 9, 6 }, 1, "客户端架构师");
            User("TangEr", "唐二", new[] { 10 }, 2, "测试经理", leaderOf: 10);
            User("FengSan", "冯三", new[] { 10 }, 1, "测试工程师");
            User("YuSi", "于四", new[] { 3 }, 1, "产品经理", status: 5);
            User("DongWu", "董五", new[] { 3, 4 }, 2, "产品经理");
            User("XiaoLiu", "萧六", new[] { 2 }, 1, "项目经理");

            var zhangSan = sandbox._users["ZhangSan"];
            zhangSan.ExternalPosition = "总经理";
            zhangSan.ExternalProfile = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(
                "{\"external_corp_name\":\"广州研发中心\",\"wechat_channels\":{\"nickname\":\"研发中心视频号\",\"status\":1},\"external_attr\":[" +
                "{\"type\":0,\"name\":\"对外电话\",\"text\":{\"value\":\"020-88888888\"}}," +
                "{\"type\":1,\"name\":\"官网\",\"web\":{\"url\":\"https://example.com\",\"title\":\"示例官网\"}}]}")!;

            sandbox._departments[1].Leaders.Add("ZhangSan");
            sandbox._departments[2].Leaders.Add("LiSi");
            sandbox._departments[5].Leaders.Add("WangWu");

            sandbox.AddTag(new SandboxTag { Id = 1, Name = "技术委员会", OwnerSecret = SampleContactsSecret, Users = { "SunQi", "WangWu", "HanYi" }, Departments = { 8 } });
            sandbox.AddTag(new SandboxTag { Id = 2, Name = "新员工", OwnerSecret = SampleContactsSecret, Users = { "XiaoLiu", "FengSan", "ZhaoLiu" } });
            sandbox.AddTag(new SandboxTag { Id = 3, Name = "值班", OwnerSecret = SampleContactsSecret });
            return sandbox;
        }

        /// <summary>The secrets a real corp's admin meets, the narrow app seeing <paramref name="narrowDepartment"/>.</summary>
        internal static void AddSampleApps(WeComSandbox sandbox, int narrowDepartment)
        {
            sandbox.AddApp(new SandboxApp("通讯录同步", SampleContactsSecret) { IsContactsSync = true });
            sandbox.AddApp(new SandboxApp("通讯录同步 (new IP)", SampleNewIpContactsSecret) { IsContactsSync = true, NewIp = true, SameAppAs = SampleContactsSecret });
            sandbox.AddApp(new SandboxApp("邮箱助手", SampleAppSecret) { WithholdsSensitiveFields = true, VisibleDepartments = new[] { narrowDepartment } });
            sandbox.AddApp(new SandboxApp("通讯录读取", SampleDirectoryAppSecret) { WithholdsSensitiveFields = true });
            sandbox.AddApp(new SandboxApp("外网助手", SampleUntrustedAppSecret) { WithholdsSensitiveFields = true, CallerIpNotTrusted = true });
            sandbox.AddApp(new SandboxApp("支付助手", SampleScopedAppSecret)
            {
                WithholdsSensitiveFields = true,
                VisibleDepartments = new[] { 7 },
                VisibleUsers = new[] { "ZhangSan" },
                VisibleTags = new[] { 1 },
            });
        }
    }
}
