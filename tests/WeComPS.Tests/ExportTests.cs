using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>Export jobs against the sandbox over loopback HTTP: the key, the wait, every file downloaded, checked, decrypted and read.</summary>
    public class ExportTests
    {
        private static WeComConnection Connect(TestCorp corp, string secret = WeComSandbox.SampleContactsSecret)
        {
            var connection = corp.Connect(secret);
            connection.Exports.MaxPollInterval = TimeSpan.FromMilliseconds(50);
            return connection;
        }

        [Fact]
        public async Task Exports_every_member_across_several_files_as_full_records()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.ExportRecordsPerFile = 5;
            corp.Sandbox.JobRowsPerSecond = 200;
            var connection = Connect(corp);

            var users = await connection.Exports.ExportUsersAsync(simple: false, null, CancellationToken.None).ToListAsync();

            Assert.Equal(24, users.Count);
            Assert.Equal(5, corp.Sandbox.CallCount(WeComSandbox.ExportFileRoute));
            var lisi = users.Single(u => u.UserId == "LiSi");
            Assert.Equal(("李四", "产品总监", WeComGender.Male, WeComUserStatus.Active), (lisi.Name, lisi.Position, lisi.Gender, lisi.Status));
            Assert.Equal(new[] { 2, 5 }, lisi.Department);
            Assert.Equal("LiSi@example.com", lisi.Email);
            Assert.Equal("E1002", lisi.ExtAttr!["工号"]);
            Assert.True(corp.Sandbox.CallCount("export/get_result") >= 1);
        }

        [Fact]
        public async Task Simple_export_has_userids_names_departments_and_open_userids_only()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = await Connect(corp).Exports.ExportUsersAsync(simple: true, null, CancellationToken.None).ToListAsync();

            var hanyi = users.Single(u => u.UserId == "HanYi");
            Assert.Equal(new[] { 9, 6 }, hanyi.Department);
            Assert.Equal("韩一", hanyi.Name);
            Assert.NotNull(hanyi.OpenUserId);
            Assert.Null(hanyi.Mobile);
            Assert.Null(hanyi.Position);
            Assert.Equal(1, corp.Sandbox.CallCount("export/simple_user"));
        }

        [Fact]
        public async Task An_app_exports_its_visible_scope_without_the_withheld_fields()
        {
            await using var corp = await TestCorp.StartAsync();
            var users = await Connect(corp, WeComSandbox.SampleAppSecret).Exports.ExportUsersAsync(simple: false, null, CancellationToken.None).ToListAsync();

            Assert.Equal(new[] { "HanYi", "LiSi", "SunQi", "WangWu", "WuJiu", "XiaoLiu", "ZhaoLiu", "ZhengShi", "ZhouBa" }, users.Select(u => u.UserId).OrderBy(s => s, StringComparer.Ordinal));
            Assert.All(users, u => Assert.Null(u.Mobile));
            Assert.All(users, u => Assert.Null(u.Gender));
        }

        [Fact]
        public async Task Exports_the_department_tree_with_paths()
        {
            await using var corp = await TestCorp.StartAsync();
            var departments = await Connect(corp).Exports.ExportDepartmentsAsync(null, CancellationToken.None);

            Assert.Equal(10, departments.Count);
            Assert.Equal((1, 2, "/广州研发中心/邮箱产品部/邮箱后台组"), (departments[0].Id, departments[1].Id, departments.Single(d => d.Id == 5).Path));
            Assert.Equal(new[] { "ZhangSan" }, departments[0].Leaders);
        }

        [Fact]
        public async Task Exports_the_users_and_departments_of_a_tag()
        {
            await using var corp = await TestCorp.StartAsync();
            var members = await Connect(corp).Exports.ExportTagMembersAsync(1, null, CancellationToken.None).ToListAsync();

            var users = members.OfType<WeComTagUser>().ToList();
            Assert.Equal(new[] { "HanYi", "SunQi", "WangWu" }, users.Select(u => u.UserId).OrderBy(s => s, StringComparer.Ordinal));
            Assert.Equal("孙七", users.Single(u => u.UserId == "SunQi").Name);
            Assert.All(members, m => Assert.Equal("技术委员会", m.TagName));
            Assert.Equal(8, members.OfType<WeComTagDepartment>().Single().DepartmentId);
            Assert.All(members, m => Assert.Equal(1, m.TagId));
            var unknown = await Assert.ThrowsAsync<WeComException>(() => Connect(corp).Exports.ExportTagMembersAsync(99, null, CancellationToken.None).ToListAsync());
            Assert.Equal(40068, unknown.ErrCode);
        }

        [Fact]
        public async Task A_damaged_or_failed_download_is_retried_and_the_signed_url_never_shows()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.CorruptExportDownloads(1);
            corp.Sandbox.Inject(WeComSandbox.ExportFileRoute, SandboxFault.Http(503));
            var connection = Connect(corp);
            var log = new RecordingLog();

            System.Collections.Generic.List<WeComDepartment> departments;
            using (WeComLog.Listen(log))
            {
                departments = (await connection.Exports.ExportDepartmentsAsync(null, CancellationToken.None)).ToList();
            }

            Assert.Equal(10, departments.Count);
            Assert.Equal(3, corp.Sandbox.CallCount(WeComSandbox.ExportFileRoute));
            Assert.Equal(2, log.Lines.Count(l => l.StartsWith("export file 1 of 1 of job ") && l.Contains("retry")));
            Assert.DoesNotContain(log.Lines, l => l.Contains("sign="));
        }

        [Fact]
        public async Task A_file_that_stays_damaged_fails_with_its_reason()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.CorruptExportDownloads(10);

            var error = await Assert.ThrowsAsync<WeComException>(() => Connect(corp).Exports.ExportDepartmentsAsync(null, CancellationToken.None));

            Assert.Contains("md5", error.Message);
            Assert.Contains("export file 1 of 1", error.Message);
            Assert.DoesNotContain("sign=", error.Message);
            Assert.Equal(4, corp.Sandbox.CallCount(WeComSandbox.ExportFileRoute));
        }

        [Fact]
        public async Task A_plain_http_download_off_loopback_is_refused()
        {
            await using var corp = await TestCorp.StartAsync();
            var error = await Assert.ThrowsAsync<WeComException>(() => corp.Connect().Client.DownloadAsync(new Uri("http://example.com/export-files/1?sign=secret"), "export file 1 of 1", _ => null, CancellationToken.None));

            Assert.Contains("not https", error.Message);
            Assert.DoesNotContain("secret", error.Message);
        }

        private sealed class RecordingLog : IWeComLogListener
        {
            public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new System.Collections.Concurrent.ConcurrentQueue<string>();

            public void Verbose(string message) => Lines.Enqueue(message);

            public void Debug(string message) => Lines.Enqueue(message);

            public void Warning(string message) => Lines.Enqueue(message);
        }
    }
}
