using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>
    /// Nothing lost, nothing twice, through a fault injector between the client and the sandbox (<see cref="FaultProxy"/>):
    /// it drops a request before forwarding it, forwards it and drops the answer, or answers an errcode or an HTTP status,
    /// and counts what reached the sandbox.
    /// </summary>
    public class WriteSafetyTests
    {
        /// <summary>The sample corp (or <paramref name="sandbox"/>) behind a fault proxy, and a validated connection through it.</summary>
        internal static async Task<(TestCorp Corp, FaultProxy Proxy, WeComConnection Connection)> StartAsync(
            WeComSandbox? sandbox = null, int maxAttempts = 4, int attemptTimeoutSeconds = 5)
        {
            var corp = await TestCorp.StartAsync(sandbox);
            var proxy = await FaultProxy.StartAsync(corp.Server.BaseUri);
            var connection = corp.Connect(maxAttempts: maxAttempts, attemptTimeout: TimeSpan.FromSeconds(attemptTimeoutSeconds), baseUri: proxy.BaseUri);
            await connection.ValidateAsync(CancellationToken.None);
            return (corp, proxy, connection);
        }

        private static WeComUserChange Hire(string userId, params int[] departments) =>
            new WeComUserChange { UserId = userId, Name = "王五" + userId, Email = userId + "@example.com", Mobile = "1390000" + (userId.GetHashCode() & 0x7fff).ToString("D4").Substring(0, 4), Department = departments, Position = "CEO" };

        [Fact]
        public async Task An_unsafe_post_whose_answer_was_lost_is_never_sent_again()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            proxy.Add("batch/invite=drop-answer*1");

            var results = await connection.Users.InviteAsync(new[] { "ZhangSan", "LiSi" }, new int[0], new int[0]).ToListAsync();

            Assert.Equal(1, proxy.Forwarded("batch/invite"));
            Assert.All(results, r => Assert.Equal("WriteOutcomeUnknown", r.Error!.ErrorId));
            Assert.Equal(new object[] { "ZhangSan", "LiSi" }, results.Select(r => r.Target));
            Assert.StartsWith("User 'ZhangSan': ", results[0].Error!.Message);
            Assert.Contains("invitations may have been sent", results[0].Error!.RecommendedAction);
        }

        [Fact]
        public async Task An_unknown_post_is_sent_once_unless_the_caller_says_it_is_idempotent()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            proxy.Add("tag/addtagusers=drop-answer*1");
            proxy.Add("message/send=drop-answer*1");
            var body = new Dictionary<string, object> { ["touser"] = "ZhangSan", ["msgtype"] = "text" };

            var unknown = await Assert.ThrowsAsync<WeComException>(() => connection.InvokeAsync("POST", "message/send", null, body, CancellationToken.None));
            Assert.Equal("WriteOutcomeUnknown", unknown.ErrorId);
            Assert.Equal(1, proxy.Forwarded("message/send"));

            // A known write, or one the caller says is idempotent, is sent again after a lost answer.
            await connection.InvokeAsync("POST", "tag/addtagusers", null, new Dictionary<string, object> { ["tagid"] = 1, ["userlist"] = new[] { "ZhangSan" } }, CancellationToken.None);
            Assert.Equal(2, proxy.Forwarded("tag/addtagusers"));
            proxy.Add("message/send=drop-answer*1");
            await Assert.ThrowsAnyAsync<WeComException>(() => connection.InvokeAsync("POST", "message/send", null, body, CancellationToken.None, idempotent: true));
            Assert.Equal(3, proxy.Forwarded("message/send"));
        }

        [Fact]
        public async Task A_batch_job_whose_start_answer_was_lost_is_not_started_twice()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            var plan = await connection.Jobs.PlanUsersAsync(new[] { new WeComUserChange { UserId = "ZhangSan", Position = "总监" } }, replace: false, null, CancellationToken.None);
            proxy.Add("batch/syncuser=drop-answer*1");

            var error = await Assert.ThrowsAsync<WeComException>(() => connection.Jobs.StartAsync(plan, null, CancellationToken.None));

            Assert.Equal("WriteOutcomeUnknown", error.ErrorId);
            Assert.Contains("ZhangSan", error.Message);
            Assert.Equal(1, proxy.Forwarded("batch/syncuser"));
            Assert.Equal(1, proxy.Forwarded("media/upload"));
        }

        [Fact]
        public async Task A_failure_that_proves_nothing_was_sent_is_retried_for_every_class()
        {
            Assert.True(WeComClient.NeverSent(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))));
            Assert.True(WeComClient.NeverSent(new HttpRequestException("dns", new SocketException((int)SocketError.HostNotFound))));
            Assert.True(WeComClient.NeverSent(new HttpRequestException("tls", new System.Security.Authentication.AuthenticationException())));
            Assert.False(WeComClient.NeverSent(new HttpRequestException("reset", new System.IO.IOException("reset", new SocketException((int)SocketError.ConnectionReset)))));

            // Nothing listens on the port: an unsafe call that can never have been delivered is retried, then unreachable, not unknown.
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect(maxAttempts: 2, baseUri: new Uri($"http://127.0.0.1:{port}/cgi-bin/"));
            var error = await Assert.ThrowsAsync<WeComException>(() => connection.InvokeAsync("POST", "message/send", null, new Dictionary<string, object>(), CancellationToken.None));
            Assert.Equal("WeComUnreachable", error.ErrorId);
            Assert.True(error.AffectsAllItems);
        }

        [Fact]
        public async Task A_retried_create_that_finds_a_similar_record_not_made_by_it_stays_refused()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            var existing = Hire("wangwu9", 2);
            existing.Position = "工程师";
            await connection.Users.CreateAsync(new[] { existing }).ValuesAsync();
            // The first attempt never reaches WeCom; the retry finds a WangWu with the same name, mobile and email elsewhere.
            proxy.Add("user/create=drop*1");

            var results = await connection.Users.CreateAsync(new[] { Hire("wangwu9", 5) }).ToListAsync();

            var error = Assert.Single(results).Error;
            Assert.Equal(60102, error!.ErrCode);
            Assert.Equal(2, proxy.Forwarded("user/create"));
            var held = await connection.Users.GetAsync(new[] { "wangwu9" }).ValuesAsync();
            Assert.Equal(new[] { 2 }, held[0].Department);
        }

        [Fact]
        public async Task A_create_whose_answer_was_lost_returns_what_WeCom_holds_marked_as_found_in_place()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            proxy.Add("user/create=drop-answer*1");

            var created = Assert.Single(await connection.Users.CreateAsync(new[] { Hire("newbie", 5) }).ValuesAsync());

            Assert.True(created.FoundInPlace);
            Assert.Equal(WeComUserStatus.NotActivated, created.Status);
            Assert.Equal(new[] { 5 }, created.Department);
            Assert.Equal("CEO", created.Position);
            Assert.Equal(1, corp.Sandbox.SucceededCount("user/create"));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task A_lost_answer_on_a_new_ip_is_read_back_with_the_app_secret_and_never_stops_the_others(bool withAppSecret)
        {
            await using var corp = await TestCorp.StartAsync();
            await using var proxy = await FaultProxy.StartAsync(corp.Server.BaseUri);
            var connection = corp.Connect(WeComSandbox.SampleNewIpContactsSecret, appSecret: withAppSecret ? WeComSandbox.SampleDirectoryAppSecret : null, baseUri: proxy.BaseUri);
            proxy.Add("user/create=drop-answer*1");

            var results = await connection.Users.CreateAsync(new[] { Hire("lost1", 5), Hire("next2", 5), Hire("next3", 5) }, maxConcurrency: 1).ToListAsync();

            // Every item is reported and every create went through once; the first is unknown, since neither secret
            // shows what was sent: the app secret reads the member but withholds its mobile and email (apps since
            // 2022-06-20), and the contacts-sync secret from a new IP may not read it at all (48009).
            Assert.Equal(3, results.Count);
            Assert.Equal(3, corp.Sandbox.SucceededCount("user/create"));
            Assert.All(results.Skip(1), r => Assert.Null(r.Error));
            var unknown = results[0].Error!;
            Assert.Equal("WriteOutcomeUnknown", unknown.ErrorId);
            Assert.Contains(withAppSecret ? "does not show the field" : "48009", unknown.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_delete_of_an_id_that_never_existed_never_counts_as_done()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            proxy.Add("user/delete=drop-answer*1");

            var error = await Assert.ThrowsAsync<WeComException>(() => connection.InvokeAsync("GET", "user/delete", new Dictionary<string, string> { ["userid"] = "ghost" }, null, CancellationToken.None));
            Assert.Equal(60111, error.ErrCode);
            Assert.Equal(2, proxy.Forwarded("user/delete"));

            // When whether it existed cannot be read (user/get forbidden from this IP), a delete whose answer is lost is unknown.
            proxy.Add("user/get=errcode:48009");
            proxy.Add("user/delete=drop-answer*1");
            var unknown = await Assert.ThrowsAsync<WeComException>(() => connection.InvokeAsync("GET", "user/delete", new Dictionary<string, string> { ["userid"] = "WangWu" }, null, CancellationToken.None));
            Assert.Equal("WriteOutcomeUnknown", unknown.ErrorId);
            Assert.Equal(1, corp.Sandbox.SucceededCount("user/delete"));

            // The operations look the ids up first and send nothing for one that is not there.
            var results = await connection.Departments.DeleteAsync(new[] { 9999 }).ToListAsync();
            Assert.Equal("DepartmentNotFound", Assert.Single(results).Error!.ErrorId);
            Assert.Equal(0, proxy.Received("department/delete"));
        }

        [Fact]
        public async Task Retries_that_run_out_after_a_lost_answer_leave_the_outcome_unknown()
        {
            var (corp, proxy, connection) = await StartAsync(maxAttempts: 3);
            await using var _ = corp;
            await using var __ = proxy;
            proxy.Add("user/create=drop-answer*1");
            proxy.Add("user/create=drop");

            var error = Assert.Single(await connection.Users.CreateAsync(new[] { Hire("lost1", 5) }).ToListAsync()).Error!;

            Assert.Equal("WriteOutcomeUnknown", error.ErrorId);
            Assert.StartsWith("User 'lost1': ", error.Message);
            Assert.Contains("retries ran out", error.Message);
            Assert.Equal(1, corp.Sandbox.SucceededCount("user/create"));
        }

        [Fact]
        public async Task A_failing_read_back_leaves_the_outcome_unknown_and_the_other_items_go_on()
        {
            var (corp, proxy, connection) = await StartAsync(maxAttempts: 2);
            await using var _ = corp;
            await using var __ = proxy;
            proxy.Add("user/create=drop-answer*1");
            proxy.Add("user/get=http:500*2");

            var results = await connection.Users.CreateAsync(new[] { Hire("first1", 5), Hire("second2", 5) }, maxConcurrency: 1).ToListAsync();

            Assert.Equal("WriteOutcomeUnknown", results[0].Error!.ErrorId);
            Assert.Contains("reading back what WeCom holds failed", results[0].Error!.Message);
            Assert.Null(results[1].Error);
            Assert.False(results[1].Value!.FoundInPlace);
            Assert.Equal(2, corp.Sandbox.SucceededCount("user/create"));
        }

        [Fact]
        public async Task A_token_outage_during_a_1000_department_walk_costs_one_retry_budget_and_ends_with_one_error()
        {
            var (corp, proxy, connection) = await StartAsync(OrganisationGenerator.Generate(1000, 3000, seed: 4), maxAttempts: 3);
            await using var _ = corp;
            await using var __ = proxy;
            // After 100 departments WeCom refuses the token, and no new one can be had.
            proxy.Add("user/simplelist=errcode:40014+100");
            proxy.Add("gettoken=http:503");

            var results = new List<ItemResult<WeComUser>>();
            var error = await Assert.ThrowsAsync<WeComException>(async () =>
            {
                await foreach (var result in connection.Users.GetAllAsync(simple: true))
                {
                    results.Add(result);
                }
            });

            Assert.DoesNotContain(results, r => r.Error != null);
            Assert.True(error.AffectsAllItems);
            Assert.Matches(@"^Stopped \(\d+ of 1000 departments read, \d+ members returned; the result is incomplete\): No access token: ", error.Message);
            // One fetch before the walk, then one retry budget for the whole outage.
            Assert.Equal(1 + 3, proxy.Received("gettoken"));
            Assert.InRange(proxy.Received("user/simplelist"), 101, 100 + 8 * 8 + 8);
        }

        [Fact]
        public async Task An_endpoint_that_stops_answering_ends_a_read_with_one_error_saying_how_far_it_got()
        {
            var (corp, proxy, connection) = await StartAsync(OrganisationGenerator.Generate(400, 4000, seed: 6), maxAttempts: 2);
            await using var _ = corp;
            await using var __ = proxy;
            proxy.Add("user/simplelist=drop+50");

            var results = new List<ItemResult<WeComUser>>();
            var error = await Assert.ThrowsAsync<WeComException>(async () =>
            {
                await foreach (var result in connection.Users.GetAllAsync(simple: true))
                {
                    results.Add(result);
                }
            });

            Assert.Equal("WeComUnreachable", error.ErrorId);
            Assert.Matches(@"^Stopped \(\d+ of 400 departments read, \d+ members returned; the result is incomplete\)", error.Message);
            // Only departments around the cut are reported on their own: those in flight when the endpoint went, which may
            // have been answered out of order, and the ones before the third failure in a row.
            Assert.InRange(results.Count(r => r.Error != null), 0, WeComConnection.DefaultMaxConcurrency + FailurePolicy.EndpointGoneAfter - 1);
            Assert.InRange(proxy.Received("user/simplelist"), 51, 50 + 8 * 8 * 2 + 8);
        }

        [Fact]
        public async Task A_45009_block_is_waited_out_within_the_limit_or_ends_the_command_with_one_error()
        {
            var clock = new ManualClock();
            var limiter = new RateLimiter(RateLimiter.WeComLimits, () => clock.Now, (wait, _) =>
            {
                clock.Waits.Add(wait);
                clock.Now += wait;
                return Task.CompletedTask;
            });
            await using var corp = await TestCorp.StartAsync();
            await using var proxy = await FaultProxy.StartAsync(corp.Server.BaseUri);
            var connection = corp.Connect(limiter: limiter, baseUri: proxy.BaseUri);
            proxy.Add("tag/list=errcode:45009*1");

            Assert.Equal(3, (await connection.Tags.GetAllAsync(CancellationToken.None)).Count);
            Assert.Equal(new[] { RateLimiter.MinuteBlock }, clock.Waits);
            Assert.Equal(2, proxy.Received("tag/list"));

            // 45009 again right after a block: the hourly limit, longer than the client waits by default.
            proxy.Add("tag/list=errcode:45009*1");
            var error = await Assert.ThrowsAsync<WeComException>(() => connection.Tags.GetAllAsync(CancellationToken.None));
            Assert.Equal("RateLimited", error.ErrorId);
            Assert.True(error.AffectsAllItems);
            Assert.Equal(3, proxy.Received("tag/list"));

            // An admin who allows the wait gets it.
            connection.Retry.MaxBlockWait = TimeSpan.FromHours(2);
            Assert.Equal(3, (await connection.Tags.GetAllAsync(CancellationToken.None)).Count);
            Assert.Equal(RateLimiter.HourBlock, clock.Waits.Last());
        }

        [Theory]
        [InlineData("zhangsan\n")]
        [InlineData("zhang san")]
        [InlineData("zhangsan\r")]
        public void A_userid_with_a_trailing_line_break_or_blank_is_refused(string userId) =>
            Assert.NotNull(new WeComUserChange { UserId = userId, Name = "张三", Email = "z@example.com" }.Validate(creating: true));

        [Fact]
        public void Mobiles_emails_and_names_match_exactly_to_their_end()
        {
            Assert.NotNull(new WeComUserChange { UserId = "z", Name = "张三", Mobile = "13800000000\n" }.Validate(creating: true));
            Assert.NotNull(new WeComUserChange { UserId = "z", Name = "张三", Email = "z@example.com\n" }.Validate(creating: true));
            Assert.Contains("control character", new WeComUserChange { UserId = "z", Name = "张\t三", Email = "z@example.com" }.Validate(creating: true)!.Message);
            Assert.NotNull(new WeComDepartmentChange { Name = "部\u0007门", ParentId = 1 }.Validate(creating: true));
            Assert.NotNull(new WeComTagChange { TagName = "标\n签" }.Validate(creating: true));
            Assert.Null(new WeComUserChange { UserId = "z", Name = "张三", Mobile = "+86 13800000000", Email = "z@example.com" }.Validate(creating: true));
        }

        [Fact]
        public async Task A_bulk_delete_over_the_limit_sends_nothing()
        {
            Assert.Equal(5, DeleteLimit.Default.Of(24));
            Assert.Equal(5000, DeleteLimit.Default.Of(50000));
            Assert.Equal(9500, DeleteLimit.Parse("19%").Of(50000));
            Assert.Equal(200, DeleteLimit.Parse("200").Of(50000));
            Assert.Throws<WeComException>(() => DeleteLimit.Parse("lots"));

            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            var six = new[] { "WuJiu", "ZhengShi", "GuoWu", "MaLiu", "LuoQi", "LiangBa" };
            var error = await Assert.ThrowsAsync<WeComException>(() => connection.Users.DeleteAsync(six, null, CancellationToken.None, DeleteLimit.Default).ToListAsync());
            Assert.Equal("DeleteLimitExceeded", error.ErrorId);
            Assert.Contains("6 of 24", error.Message);
            Assert.Equal(0, proxy.Received("user/batchdelete"));
            var departments = await Assert.ThrowsAsync<WeComException>(() => connection.Departments.DeleteAsync(new[] { 3, 4, 6, 7, 8, 9 }, null, CancellationToken.None, DeleteLimit.Parse("50%")).ToListAsync());
            Assert.Equal("DeleteLimitExceeded", departments.ErrorId);
            Assert.Equal(0, proxy.Received("department/delete"));

            Assert.Equal(6, (await connection.Users.DeleteAsync(six, null, CancellationToken.None, DeleteLimit.Parse("6")).ValuesAsync()).Count);
        }

        [Fact]
        public void Objects_written_to_the_pipeline_expose_no_way_past_ShouldProcess()
        {
            // Every public method of Core that sends a request: only the token check of a connection.
            var sending = typeof(WeComConnection).Assembly.GetExportedTypes()
                .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly))
                .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)))
                .Select(m => m.DeclaringType!.Name + "." + m.Name);
            Assert.Equal(new[] { "WeComConnection.ValidateAsync" }, sending);
            Assert.DoesNotContain(typeof(WeComConnection).GetProperties(), p => p.PropertyType.Name.EndsWith("Operations", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_failure_that_affects_every_item_stops_new_items_and_settles_those_in_flight()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            // The secret loses its right to write after five members.
            proxy.Add("user/create=errcode:48002+5");
            var hires = Enumerable.Range(1, 20).Select(i => Hire("hire" + i.ToString("D2"), 5)).ToList();

            var results = new List<ItemResult<WeComUser>>();
            var error = await Assert.ThrowsAsync<WeComException>(async () =>
            {
                await foreach (var result in connection.Users.CreateAsync(hires, maxConcurrency: 4))
                {
                    results.Add(result);
                }
            });

            Assert.Equal(48002, error.ErrCode);
            Assert.StartsWith("Stopped (5 of 20 done, ", error.Message);
            Assert.Equal(5, results.Count(r => r.Error is null));
            Assert.DoesNotContain(results, r => r.Error != null);
            // No new item started once the command had ended: only those already in flight.
            Assert.InRange(proxy.Received("user/create"), 6, 6 + 4 + 4);
            Assert.Equal(5, corp.Sandbox.SucceededCount("user/create"));
        }

        [Fact]
        public async Task Waiting_for_a_job_has_an_overall_limit_and_names_the_job_to_resume()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            corp.Sandbox.JobRowsPerSecond = 1;
            var plan = await connection.Jobs.PlanUsersAsync(new[] { new WeComUserChange { UserId = "ZhangSan", Position = "总监" }, new WeComUserChange { UserId = "LiSi", Position = "总监" } }, replace: false, null, CancellationToken.None);
            var job = await connection.Jobs.StartAsync(plan, null, CancellationToken.None);

            var error = await Assert.ThrowsAsync<WeComException>(() => connection.Jobs.WaitAsync(job.JobId, null, CancellationToken.None, TimeSpan.FromMilliseconds(300)));

            Assert.Equal("JobWaitTimedOut", error.ErrorId);
            Assert.Contains("Wait-WeComJob -JobId " + job.JobId, error.RecommendedAction);
            Assert.Equal(1, proxy.Forwarded("batch/syncuser"));
        }

        private sealed class ManualClock
        {
            public TimeSpan Now { get; set; } = TimeSpan.FromHours(3);
            public List<TimeSpan> Waits { get; } = new List<TimeSpan>();
        }
    }
}
