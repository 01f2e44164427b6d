using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Benchmarks
{
    /// <summary>
    /// A whole-directory member sync, as <c>Get-WeComUser | Sync-WeComUser</c> runs it: every member read from a
    /// generated corp served on loopback (no latency) and sent back, timed end to end (plan, CSV, upload, job, results)
    /// at 5,000 and 50,000 rows. Ten times the rows should cost about ten times the time.
    /// </summary>
    internal static class SyncBenchmark
    {
        public static async Task RunAsync(SecureString secret)
        {
            var report = new Report();
            report.Section("Whole-directory Sync-WeComUser: every member read and sent back, plan to results");
            await TimeAsync(1000, secret);  // untimed: the JIT warms up
            var small = await TimeAsync(5000, secret);
            var large = await TimeAsync(50000, secret);
            report.Row("5,000 rows", $"{small.TotalSeconds:0.00} s");
            report.Row("50,000 rows", $"{large.TotalSeconds:0.00} s", "aim: under 30 s");
            report.Row("50,000 against 5,000 rows (10x the rows)", $"{large / small:0.0}x", "aim: about 10x at most");
            report.Print();
        }

        private static async Task<TimeSpan> TimeAsync(int members, SecureString secret)
        {
            var sandbox = OrganisationGenerator.Generate(Math.Max(1, members / 50), members);
            await using var server = await SandboxServer.StartAsync(sandbox);
            var connection = new WeComConnection(WeComSandbox.SampleCorpId, secret, server.BaseUri, "sync");
            var rows = new List<WeComUserChange>();
            await foreach (var result in connection.Users.GetAllAsync(simple: false, null, null, default))
            {
                var u = result.Value ?? throw result.Error!;
                rows.Add(new WeComUserChange { UserId = u.UserId, Name = u.Name, Department = u.Department?.ToArray(), Position = u.Position, Mobile = u.Mobile, Email = u.Email });
            }

            var timer = Stopwatch.StartNew();
            var plan = await connection.Jobs.PlanUsersAsync(rows, replace: false, null, default);
            var job = await connection.Jobs.StartAsync(plan, toInvite: false, default);
            var results = await connection.Jobs.WaitForResultsAsync(job.JobId, plan, null, default);
            timer.Stop();
            var failed = results.Count(r => r.Status != WeComJobResultStatus.Succeeded);
            Console.WriteLine($"  sync of {rows.Count:N0} rows: {results.Count:N0} results, {failed} failed, in {timer.Elapsed.TotalSeconds:0.00} s");
            return timer.Elapsed;
        }
    }
}
