using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>Large reads: the calls they make, how they stream, their concurrency, and stopping them.</summary>
    public class ScaleTests
    {
        [Fact]
        public async Task Fifty_thousand_members_are_read_once_each_with_one_call_per_department_and_one_token_even_under_faults()
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(1000, 50000));
            var connection = corp.Connect(maxAttempts: 5);

            var users = await connection.Users.GetByDepartmentAsync(new[] { 1 }, recurse: true, simple: true).ValuesAsync();

            Assert.Equal(50000, users.Select(u => u.UserId).Distinct().Count());
            Assert.Equal(50000, users.Count);
            Assert.Equal(1, corp.Sandbox.CallCount("gettoken"));
            Assert.Equal(1, corp.Sandbox.CallCount("department/simplelist"));
            Assert.Equal(1000, corp.Sandbox.CallCount("user/simplelist"));

            corp.Sandbox.AddFaults(new FaultSchedule(7, 0.10, "errcode:-1 errcode:45033 errcode:40014 http:502 reset reset-after-apply malformed".Split(' ').Select(SandboxFault.Parse).ToArray()));
            var again = await connection.Users.GetByDepartmentAsync(new[] { 1 }, recurse: true, simple: true).ValuesAsync();

            Assert.True(corp.Sandbox.FaultsInjected > 50);
            Assert.Equal(users.Select(u => u.UserId), again.Select(u => u.UserId));
        }

        [Fact]
        public async Task Members_stream_out_long_before_the_last_department_is_read()
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(200, 4000));
            corp.Sandbox.Latency = TimeSpan.FromMilliseconds(20);
            var connection = corp.Connect();
            connection.MaxConcurrency = 4;
            int? callsAtFirst = null;
            var count = 0;

            await foreach (var user in connection.Users.GetByDepartmentAsync(new[] { 1 }, recurse: true))
            {
                Assert.Null(user.Error);
                callsAtFirst ??= corp.Sandbox.CallCount("user/list");
                count++;
            }

            Assert.Equal(4000, count);
            Assert.Equal(200, corp.Sandbox.CallCount("user/list"));
            Assert.True(callsAtFirst < 50, $"the first member came after {callsAtFirst} of 200 department reads");
        }

        [Theory]
        [InlineData(null, null, WeComConnection.DefaultMaxConcurrency)]
        [InlineData(3, null, 3)]
        [InlineData(2, 6, 6)]
        public async Task Concurrency_is_the_calls_own_else_the_connections_else_the_default(int? perConnection, int? perCall, int expected)
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(60, 600));
            corp.Sandbox.Latency = TimeSpan.FromMilliseconds(40);
            var connection = corp.Connect();
            if (perConnection is { } value)
            {
                connection.MaxConcurrency = value;
            }

            await connection.ValidateAsync(CancellationToken.None);
            var users = await connection.Users.GetAllAsync(maxConcurrency: perCall).ValuesAsync();

            Assert.Equal(600, users.Count);
            Assert.Equal(expected, corp.Sandbox.MaxConcurrentCalls);
        }

        [Fact]
        public async Task Cancelling_a_long_read_stops_it_within_a_second_and_abandons_the_calls_in_flight()
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(300, 3000));
            corp.Sandbox.Latency = TimeSpan.FromSeconds(2);
            var connection = corp.Connect();
            using var cts = new CancellationTokenSource();
            var read = Task.Run(async () =>
            {
                await foreach (var _ in connection.Users.GetAllAsync(cancellationToken: cts.Token))
                {
                }
            });
            await WaitUntilAsync(() => corp.Sandbox.InFlightCalls == WeComConnection.DefaultMaxConcurrency);

            var watch = Stopwatch.StartNew();
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"the read took {watch.Elapsed} to stop");
            await WaitUntilAsync(() => corp.Sandbox.InFlightCalls == 0);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), "the calls in flight were not abandoned");
            Assert.Equal(WeComConnection.DefaultMaxConcurrency, corp.Sandbox.CancelledCalls);
            Assert.Equal(0, corp.Sandbox.CallCount("user/list"));
        }

        [Fact]
        public async Task Ten_thousand_users_are_tagged_in_ten_calls()
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(50, 12000));
            var connection = corp.Connect();
            var tag = (await connection.Tags.CreateAsync(new[] { new WeComTagChange { TagName = "全员" } }).ValuesAsync()).Single();
            var userIds = Enumerable.Range(1, 10000).Select(n => "u" + n.ToString("D6")).ToList();

            var tagged = await connection.Tags.AddMembersAsync(tag.TagId, userIds, new int[0]).ValuesAsync();

            Assert.Equal(10000, tagged.Count);
            Assert.Equal(10, corp.Sandbox.CallCount("tag/addtagusers"));
            Assert.Equal(10000, (await connection.Tags.GetMembersAsync(tag.TagId, CancellationToken.None)).Count);
        }

        [Fact]
        public async Task A_revocation_in_the_middle_of_a_large_read_costs_one_token_fetch()
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(400, 8000));
            corp.Sandbox.Latency = TimeSpan.FromMilliseconds(5);
            var connection = corp.Connect();
            var count = 0;

            await foreach (var user in connection.Users.GetAllAsync(simple: true))
            {
                Assert.Null(user.Error);
                if (++count == 2000)
                {
                    corp.Sandbox.RevokeTokens();
                }
            }

            Assert.Equal(8000, count);
            Assert.Equal(2, corp.Sandbox.CallCount("gettoken"));
        }

        private static async Task WaitUntilAsync(Func<bool> condition)
        {
            var watch = Stopwatch.StartNew();
            while (!condition())
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting");
                await Task.Delay(10);
            }
        }
    }
}
