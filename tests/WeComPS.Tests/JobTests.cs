using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>Async imports against the sandbox over loopback HTTP: upload, start, poll, per-row results, replace rules.</summary>
    public class JobTests
    {
        private static WeComConnection Connect(TestCorp corp)
        {
            var connection = corp.Connect();
            connection.Jobs.MaxPollInterval = TimeSpan.FromMilliseconds(50);
            return connection;
        }

        private static WeComUserChange Hire(int n, params int[] departments) => new WeComUserChange
        {
            UserId = $"hr{n:000}",
            Name = $"员工{n}",
            Mobile = $"139{n:00000000}",
            Department = departments.Length == 0 ? new[] { 5 } : departments,
        };

        private static async Task<IReadOnlyList<WeComJobResult>> RunAsync(WeComConnection connection, WeComImportPlan plan, IProgress<WeComProgress>? progress = null)
        {
            var job = await connection.Jobs.StartAsync(plan, toInvite: false, CancellationToken.None);
            return await connection.Jobs.WaitForResultsAsync(job.JobId, plan, progress, CancellationToken.None);
        }

        [Fact]
        public async Task Sync_uploads_the_csv_and_creates_updates_and_reports_each_row()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = Connect(corp);
            var input = Enumerable.Range(1, 300).Select(n => Hire(n, 5, 8)).Concat(new[]
            {
                new WeComUserChange { UserId = "LiSi", Position = "首席产品官", Department = new[] { 2 } },
                new WeComUserChange { UserId = "hr900", Name = "号码重复", Mobile = "13900000001" },
                new WeComUserChange { UserId = "WuJiu", Enable = false, Gender = WeComGender.Male, IsLeaderInDept = new[] { true }, Department = new[] { 6 } },
            }).ToList();

            var plan = await connection.Jobs.PlanUsersAsync(input, replace: false, null, CancellationToken.None);
            var results = await RunAsync(connection, plan);

            Assert.Empty(plan.Invalid);
            Assert.Equal(303, results.Count);
            Assert.Equal(WeComJobAction.Create, results.First(r => r.UserId == "hr001").Action);
            Assert.Equal("员工1", results.First(r => r.UserId == "hr001").Name);
            Assert.Equal(WeComJobAction.Update, results.Single(r => r.UserId == "LiSi").Action);
            var duplicate = results.Single(r => r.UserId == "hr900");
            Assert.Equal((WeComJobResultStatus.Failed, 60104), (duplicate.Status, duplicate.ErrCode));
            Assert.Equal("MobileExists", duplicate.ToException()!.ErrorId);
            Assert.Equal(302, results.Count(r => r.Status == WeComJobResultStatus.Succeeded));
            var wujiu = (await connection.Users.GetAsync(new[] { "WuJiu" }).ValuesAsync()).Single();
            Assert.Equal((WeComUserStatus.Disabled, WeComGender.Male, true), (wujiu.Status, wujiu.Gender, wujiu.IsLeaderInDept![0]));

            var created = (await connection.Users.GetAsync(new[] { "hr007" }).ValuesAsync()).Single();
            Assert.Equal(new[] { 5, 8 }, created.Department);
            var lisi = (await connection.Users.GetAsync(new[] { "LiSi" }).ValuesAsync()).Single();
            Assert.Equal(("首席产品官", "LiSi@example.com"), (lisi.Position, lisi.Email));
            Assert.Equal(new[] { 2 }, lisi.Department);
            Assert.Equal(1, corp.Sandbox.CallCount("media/upload"));
            Assert.Equal(1, corp.Sandbox.CallCount("batch/syncuser"));
        }

        [Fact]
        public async Task Waiting_reports_the_progress_of_a_running_job()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.JobRowsPerSecond = 400;
            var connection = Connect(corp);
            var plan = await connection.Jobs.PlanUsersAsync(Enumerable.Range(1, 200).Select(n => Hire(n)), replace: false, null, CancellationToken.None);
            var seen = new List<int>();

            var job = await connection.Jobs.StartAsync(plan, null, CancellationToken.None);
            var first = await connection.Jobs.GetAsync(job.JobId, CancellationToken.None);
            var finished = await connection.Jobs.WaitAsync(job.JobId, new SyncProgress(p => seen.Add(p.Completed)), CancellationToken.None);

            Assert.NotEqual(WeComJobStatus.Finished, first.Status);
            Assert.Empty(first.Results);
            Assert.Equal((WeComJobType.SyncUser, 200), (first.Type, first.Total));
            Assert.Equal((WeComJobStatus.Finished, 100, 200), (finished.Status, finished.Percentage, finished.Results.Count));
            Assert.Contains(seen, p => p > 0 && p < 100);
            Assert.Equal(seen.OrderBy(p => p), seen);
            Assert.Equal(100, seen.Last());
        }

        [Fact]
        public async Task Replace_deletes_the_members_not_in_the_input_and_reports_each_deletion()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = Connect(corp);
            var everyone = await connection.Users.GetAllAsync(simple: true).ValuesAsync();
            var kept = everyone.Where(u => u.UserId != "XiaoLiu" && u.UserId != "YuSi")
                .Select(u => new WeComUserChange { UserId = u.UserId })
                .Append(Hire(1)).ToList();

            var plan = await connection.Jobs.PlanUsersAsync(kept, replace: true, null, CancellationToken.None);
            Assert.Equal(new[] { "XiaoLiu (萧六)", "YuSi (于四)" }, plan.Changes.Where(c => c.Action == WeComJobAction.Delete).Select(c => c.Describe()).OrderBy(s => s, StringComparer.Ordinal));
            Assert.Equal("create 1, update 22, delete 2", plan.Summary());
            Assert.Null(plan.DeleteProtection);
            var results = await RunAsync(connection, plan);

            var deleted = results.Where(r => r.Action == WeComJobAction.Delete).ToList();
            Assert.Equal(new[] { "XiaoLiu", "YuSi" }, deleted.Select(r => r.UserId).OrderBy(s => s));
            Assert.All(deleted, r => Assert.Equal(WeComJobResultStatus.Succeeded, r.Status));
            var now = await connection.Users.GetAllAsync(simple: true).ValuesAsync();
            Assert.Equal(23, now.Count);
            Assert.DoesNotContain(now, u => u.UserId == "XiaoLiu");
            Assert.Equal(1, corp.Sandbox.CallCount("batch/replaceuser"));
        }

        [Fact]
        public async Task A_replace_that_deletes_too_many_is_predicted_and_refused_by_wecom_with_45026()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = Connect(corp);
            var plan = await connection.Jobs.PlanUsersAsync(new[] { new WeComUserChange { UserId = "ZhangSan" } }, replace: true, null, CancellationToken.None);

            Assert.Equal("ReplaceDeleteProtection", plan.DeleteProtection!.ErrorId);
            Assert.Contains("deletes 23 of 24", plan.DeleteProtection.Message);
            var error = await Assert.ThrowsAsync<WeComException>(() => connection.Jobs.StartAsync(plan, null, CancellationToken.None));
            Assert.Equal((45026, "ReplaceDeleteProtection"), (error.ErrCode, error.ErrorId));
            Assert.Contains("-WhatIf", error.RecommendedAction);
            Assert.Equal(24, (await connection.Users.GetAllAsync(simple: true).ValuesAsync()).Count);
        }

        [Fact]
        public async Task A_replace_with_invalid_input_is_refused_before_anything_is_sent()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = Connect(corp);
            var everyone = (await connection.Users.GetAllAsync(simple: true).ValuesAsync()).Select(u => new WeComUserChange { UserId = u.UserId }).ToList();
            everyone.Add(new WeComUserChange { UserId = "nocontact", Name = "没有联系方式" });
            everyone.Add(new WeComUserChange { UserId = "ZhangSan", Name = "再次" });
            everyone.Add(new WeComUserChange { UserId = "lost", Name = "迷路", Email = "lost@example.com", Department = new[] { 99 } });

            var plan = await connection.Jobs.PlanUsersAsync(everyone, replace: true, null, CancellationToken.None);

            Assert.Equal(new object[] { "nocontact", "ZhangSan", "lost" }, plan.Invalid.Select(i => i.Target));
            Assert.Equal(new[] { "MobileAndEmailMissing", "DuplicateImportRow", "DepartmentNotFound" }, plan.Invalid.Select(i => i.Error!.ErrorId));
            Assert.Equal("ImportInputInvalid", (await Assert.ThrowsAsync<WeComException>(() => connection.Jobs.StartAsync(plan, null, CancellationToken.None))).ErrorId);
            Assert.Equal(0, corp.Sandbox.CallCount("media/upload"));
        }

        [Fact]
        public async Task Replacing_departments_reports_wecoms_actions_and_keeps_non_empty_ones_until_members_move_out()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = Connect(corp);
            var tree = await connection.Departments.GetTreeAsync(CancellationToken.None);
            // Keep all but 测试部 (10, two members) and 支付组 (7, three members); rename 5, move 9 under 2, add 20 under a new 21.
            var input = tree.Where(d => d.Id != 10 && d.Id != 7)
                .Select(d => new WeComDepartmentChange { Id = d.Id, Name = d.Id == 5 ? "邮件后台组" : d.Name, ParentId = d.Id == 9 ? 2 : d.ParentId, Order = d.Order })
                .Append(new WeComDepartmentChange { Id = 20, Name = "华南,一组", ParentId = 21 })
                .Append(new WeComDepartmentChange { Id = 21, Name = "华南大区", ParentId = 1, Order = 5 })
                .ToList();

            var plan = await connection.Jobs.PlanDepartmentsAsync(input, CancellationToken.None);
            Assert.Equal(new[] { "支付组 (7)", "测试部 (10)" }, plan.Changes.Where(c => c.Action == WeComJobAction.Delete).Select(c => c.Describe()).OrderBy(s => s, StringComparer.Ordinal));
            Assert.Equal("move from 4 to 2", plan.Changes.Single(c => c.DepartmentId == 9).Detail);
            var results = await RunAsync(connection, plan);

            Assert.Equal(WeComJobAction.Rename, results.Single(r => r.DepartmentId == 5 && r.Action != WeComJobAction.Delete).Action);
            Assert.Equal(WeComJobAction.Move, results.Single(r => r.DepartmentId == 9).Action);
            Assert.Equal(WeComJobAction.Create, results.Single(r => r.DepartmentId == 20).Action);
            Assert.Equal(WeComJobAction.None, results.Single(r => r.DepartmentId == 8).Action);
            var deferred = results.Where(r => r.Action == WeComJobAction.Delete).OrderBy(r => r.DepartmentId).ToList();
            Assert.Equal(new int?[] { 7, 10 }, deferred.Select(r => r.DepartmentId));
            Assert.All(deferred, r => Assert.Equal((WeComJobResultStatus.Deferred, 60005), (r.Status, r.ErrCode)));
            var now = await connection.Departments.GetTreeAsync(CancellationToken.None);
            Assert.Equal("/广州研发中心/华南大区/华南,一组", now.Single(d => d.Id == 20).Path);
            Assert.Contains(now, d => d.Id == 10);

            // Moving the members out with a member import lets WeCom delete the emptied departments.
            var movers = new[] { "HuangEr", "LinSan", "HeSi", "TangEr", "FengSan" }.Select(id => new WeComUserChange { UserId = id, Department = new[] { 20 } });
            var moved = await RunAsync(connection, await connection.Jobs.PlanUsersAsync(movers, replace: false, null, CancellationToken.None));
            Assert.All(moved, r => Assert.Equal(WeComJobResultStatus.Succeeded, r.Status));
            var after = await connection.Departments.GetIdTreeAsync(CancellationToken.None);
            Assert.DoesNotContain(after, d => d.Id == 10 || d.Id == 7);
        }

        [Fact]
        public async Task Only_the_last_five_job_results_are_kept()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = Connect(corp);
            var jobs = new List<WeComJob>();
            for (var n = 1; n <= 6; n++)
            {
                var plan = await connection.Jobs.PlanUsersAsync(new[] { Hire(n) }, replace: false, null, CancellationToken.None);
                jobs.Add(await connection.Jobs.StartAsync(plan, null, CancellationToken.None));
            }

            var purged = await Assert.ThrowsAsync<WeComException>(() => connection.Jobs.GetAsync(jobs[0].JobId, CancellationToken.None));
            Assert.Equal((40089, "JobResultPurged"), (purged.ErrCode, purged.ErrorId));
            Assert.Equal(WeComJobStatus.Finished, (await connection.Jobs.WaitAsync(jobs[5].JobId, null, CancellationToken.None)).Status);
            Assert.Single(await connection.Users.GetAsync(new[] { "hr001" }).ValuesAsync());
            Assert.Equal(40088, (await Assert.ThrowsAsync<WeComException>(() => connection.Jobs.GetAsync("no-such-job", CancellationToken.None))).ErrCode);
        }

        [Fact]
        public async Task The_sandbox_refuses_a_file_that_is_not_a_template_csv_with_40092()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = Connect(corp);
            var client = connection.Client;

            async Task<WeComException> Import(string path, string csv)
            {
                var upload = await client.UploadAsync("media/upload", "type=file", "bad.csv", Encoding.UTF8.GetBytes(csv), CancellationToken.None);
                return await Assert.ThrowsAsync<WeComException>(() => client.PostAsync(path, new Dictionary<string, object> { ["media_id"] = upload.Str("media_id")! }, CancellationToken.None));
            }

            Assert.Equal("InvalidImportFile", (await Import("batch/syncuser", "姓名,手机号\r\n张三,13800000000\r\n")).ErrorId);
            Assert.Equal(40092, (await Import("batch/replaceparty", "部门名称,部门ID\r\n\"未闭合,2\r\n")).ErrCode);
            Assert.Equal(40007, (await Assert.ThrowsAsync<WeComException>(() => client.PostAsync("batch/syncuser", new Dictionary<string, object> { ["media_id"] = "nope" }, CancellationToken.None))).ErrCode);
        }

        [Fact]
        public async Task The_upload_is_multipart_with_quoted_field_names_and_a_bare_boundary()
        {
            var sandbox = WeComSandbox.CreateSample();
            string? contentType = null;
            SandboxForm? form = null;
            using var http = new HttpClient(new CapturingHandler(sandbox, (type, f) => (contentType, form) = (type, f)));
            var connection = new WeComConnection(sandbox.CorpId, TestCorp.Secure(WeComSandbox.SampleContactsSecret), new Uri("https://sandbox.example/cgi-bin/"), null, http, new AccessTokenCache(), new RetryPolicy(), RateLimiter.Shared);

            var answer = await connection.Client.UploadAsync("media/upload", "type=file", "users.csv", Encoding.UTF8.GetBytes("帐号\r\nzhangsan\r\n"), CancellationToken.None);

            Assert.StartsWith("3sbx", answer.Str("media_id"));
            Assert.Matches("^multipart/form-data; boundary=[^\"]+$", contentType);
            Assert.Equal(("media", "users.csv", "帐号\r\nzhangsan\r\n"), (form!.Files[0].Name, form.Files[0].FileName, Encoding.UTF8.GetString(form.Files[0].Content)));
        }

        private sealed class CapturingHandler : DelegatingHandler
        {
            private readonly Action<string?, SandboxForm?> _capture;

            public CapturingHandler(WeComSandbox sandbox, Action<string?, SandboxForm?> capture)
                : base(new SandboxHandler(sandbox)) => _capture = capture;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.Content != null)
                {
                    var raw = request.Content.Headers.GetValues("Content-Type").Single();
                    _capture(raw, SandboxForm.Parse(raw, await request.Content.ReadAsByteArrayAsync(cancellationToken)));
                }

                return await base.SendAsync(request, cancellationToken);
            }
        }

        private sealed class SyncProgress : IProgress<WeComProgress>
        {
            private readonly Action<WeComProgress> _report;

            public SyncProgress(Action<WeComProgress> report) => _report = report;

            public void Report(WeComProgress value) => _report(value);
        }
    }
}
