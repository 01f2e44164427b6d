using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>
    /// Stopping a change (Ctrl+C): no new item starts, the ones already sent settle and are each reported, and one
    /// error says how far the command got. Requests are slowed by the fault injector so that some are in flight.
    /// </summary>
    public class StopTests
    {
        private static WeComUserChange Hire(int n) =>
            new WeComUserChange { UserId = $"Hire{n:D2}", Name = $"新员工{n:D2}", Email = $"hire{n:D2}@example.com", Department = new[] { 1 } };

        private static Task<(TestCorp Corp, FaultProxy Proxy, WeComConnection Connection)> StartAsync() =>
            WriteSafetyTests.StartAsync(attemptTimeoutSeconds: 10);

        /// <summary>Runs the creates, stopping them as soon as <paramref name="inFlight"/> requests reached the proxy.</summary>
        private static async Task<(List<ItemResult<WeComUser>> Results, WeComException Stopped)> CreateAndStopAsync(
            WeComConnection connection, FaultProxy proxy, int count, int inFlight)
        {
            using var stop = new CancellationTokenSource();
            var results = new List<ItemResult<WeComUser>>();
            var run = Task.Run(async () =>
            {
                await foreach (var result in connection.Users.CreateAsync(Enumerable.Range(1, count).Select(Hire), null, inFlight, stop.Token))
                {
                    results.Add(result);
                }
            });
            for (var waited = 0; proxy.Received("user/create") < inFlight; waited += 10)
            {
                Assert.True(waited < 30_000 && !run.IsCompleted, $"only {proxy.Received("user/create")} creates were sent");
                await Task.Delay(10);
            }

            stop.Cancel();
            var stopped = await Assert.ThrowsAsync<WeComException>(() => run);
            return (results, stopped);
        }

        [Fact]
        public async Task Stopping_lets_the_changes_in_flight_finish_and_reports_each()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            proxy.Add("user/create=delay:800");

            var (results, stopped) = await CreateAndStopAsync(connection, proxy, count: 20, inFlight: 3);

            Assert.Equal(3, proxy.Forwarded("user/create"));
            Assert.Equal(new[] { "Hire01", "Hire02", "Hire03" }, results.Select(r => r.Value!.UserId));
            Assert.Equal("CommandStopped", stopped.ErrorId);
            Assert.True(stopped.EndsCommand);
            Assert.StartsWith("Stopped (3 of 20 done, 17 not sent): in flight then: User 'Hire01' done, User 'Hire02' done, User 'Hire03' done.", stopped.Message);
            var held = await connection.Users.GetAsync(new[] { "Hire01", "Hire02", "Hire03", "Hire04" }).ToListAsync();
            Assert.Equal(3, held.Count(r => r.Error is null));
        }

        [Fact]
        public async Task A_change_still_open_after_the_grace_is_outcome_unknown_and_named()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            connection.Retry.StopGrace = TimeSpan.FromMilliseconds(200);
            proxy.Add("user/create=delay:2000");

            var (results, stopped) = await CreateAndStopAsync(connection, proxy, count: 5, inFlight: 2);

            Assert.Equal(new object[] { "Hire01", "Hire02" }, results.Select(r => r.Target));
            Assert.All(results, r => Assert.Equal("WriteOutcomeUnknown", r.Error!.ErrorId));
            Assert.StartsWith("User 'Hire01': ", results[0].Error!.Message);
            Assert.Contains("stopped while the request was in flight", results[0].Error!.Message);
            Assert.Contains("0 of 5 done, 3 not sent", stopped.Message);
            Assert.Contains("User 'Hire01' outcome unknown, User 'Hire02' outcome unknown", stopped.Message);

            // The slow link delivered them after all: "unknown" was the only true answer.
            await Task.Delay(2500);
            Assert.Equal(2, proxy.Forwarded("user/create"));
        }

        /// <summary>Starts an import of one change, stopped once its batch/syncuser request reached the proxy.</summary>
        private static async Task<Task<WeComJob>> StartImportAndStopAsync(WeComConnection connection, FaultProxy proxy)
        {
            var plan = await connection.Jobs.PlanUsersAsync(new[] { new WeComUserChange { UserId = "ZhangSan", Position = "总监" } }, replace: false, null, CancellationToken.None);
            using var stop = new CancellationTokenSource();
            var start = connection.Jobs.StartAsync(plan, null, stop.Token);
            for (var waited = 0; proxy.Received("batch/syncuser") < 1; waited += 10)
            {
                Assert.True(waited < 30_000 && !start.IsCompleted, "the job was not started");
                await Task.Delay(10);
            }

            stop.Cancel();
            await Task.WhenAny(start);
            return start;
        }

        [Fact]
        public async Task A_job_being_started_when_stopped_is_started_and_named()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            proxy.Add("batch/syncuser=delay:800");

            var job = await await StartImportAndStopAsync(connection, proxy);

            Assert.False(string.IsNullOrEmpty(job.JobId));
            Assert.Equal(1, proxy.Forwarded("batch/syncuser"));
        }

        [Fact]
        public async Task A_job_start_still_open_after_the_grace_is_outcome_unknown_naming_what_to_look_at()
        {
            var (corp, proxy, connection) = await StartAsync();
            await using var _ = corp;
            await using var __ = proxy;
            connection.Retry.StopGrace = TimeSpan.FromMilliseconds(200);
            proxy.Add("batch/syncuser=delay:2000");

            var error = await Assert.ThrowsAsync<WeComException>(async () => await await StartImportAndStopAsync(connection, proxy));

            Assert.Equal("WriteOutcomeUnknown", error.ErrorId);
            Assert.Contains("stopped while the job was being started", error.Message);
            Assert.Contains("Look at: ZhangSan", error.Message);
        }
    }
}
