using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>
    /// Reads and writes against generated corps over loopback HTTP while the sandbox injects faults on a seeded
    /// schedule, one kind at a time at a 10% rate: retried faults change nothing in the outcome, faults that outlast the
    /// retry budget fail only the department or item they hit, and a write whose answer was lost counts once.
    /// </summary>
    public class FaultTests
    {
        private const int Seed = 20240601;
        private const double Rate = 0.10;

        /// <summary>
        /// Every fault kind of the sandbox, as <see cref="SandboxFault.Parse"/> reads it. 40014 and 42001 refuse the token
        /// of the call they hit, so the client fetches a new one and resends; revoking every token at once, as WeCom may,
        /// is <see cref="ScaleTests.A_revocation_in_the_middle_of_a_large_read_costs_one_token_fetch"/>. 45009 is a block, not
        /// a blip (<see cref="WriteSafetyTests"/>).
        /// </summary>
        public static TheoryData<string> FaultKinds => new TheoryData<string>
        {
            "errcode:-1",
            "errcode:45033",
            "errcode:6000",
            "errcode:40014",
            "errcode:42001",
            "http:502",
            "http:503",
            "http-after-apply:502",
            "reset",
            "reset-after-apply",
            "malformed",
            "malformed-after-apply",
            "slow:150",
            "hung",
            "hung-after-apply",
        };

        /// <summary>The faults that lose the answer of a call that was applied.</summary>
        public static TheoryData<string> LostAnswers => new TheoryData<string>
        {
            "reset-after-apply",
            "hung-after-apply",
            "malformed-after-apply",
            "http-after-apply:502",
        };

        [Theory]
        [MemberData(nameof(FaultKinds))]
        public async Task A_recursive_read_returns_every_member_exactly_once_under_each_fault(string fault)
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(120, 3000, seed: 3));
            var connection = Connect(corp);
            corp.Sandbox.AddFaults(new FaultSchedule(Seed, Rate, SandboxFault.Parse(fault)));

            var users = await connection.Users.GetByDepartmentAsync(new[] { 1 }, recurse: true).ValuesAsync();

            Assert.True(corp.Sandbox.FaultsInjected >= 5, $"only {corp.Sandbox.FaultsInjected} faults were injected");
            Assert.Equal(3000, users.Count);
            Assert.Equal(GeneratedUserIds(3000), users.Select(u => u.UserId).OrderBy(id => id, StringComparer.Ordinal));
        }

        [Theory]
        [MemberData(nameof(FaultKinds))]
        public async Task A_batch_of_writes_is_applied_exactly_once_under_each_fault(string fault)
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(30, 2500, seed: 5));
            var connection = Connect(corp);
            await connection.ValidateAsync(CancellationToken.None);
            corp.Sandbox.AddFaults(new FaultSchedule(Seed, Rate, SandboxFault.Parse(fault)));

            var errors = await WriteBatch.RunAsync(connection);

            Assert.True(corp.Sandbox.FaultsInjected >= 3, $"only {corp.Sandbox.FaultsInjected} faults were injected");
            Assert.Empty(errors.Select(e => e.Message));
            corp.Sandbox.ClearFaults();
            await WriteBatch.AssertAppliedOnceAsync(corp, Connect(corp));
        }

        [Theory]
        [MemberData(nameof(LostAnswers))]
        public async Task Every_write_whose_first_answer_is_lost_after_applying_counts_once(string fault)
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(30, 2500, seed: 5));
            var connection = Connect(corp);
            await connection.ValidateAsync(CancellationToken.None);
            // Every call is applied the first time it is sent, and its answer lost.
            corp.Sandbox.AddFaults(new FaultSchedule(Seed, 1.0, SandboxFault.Parse(fault)) { MaxPerRequest = 1 });

            var errors = await WriteBatch.RunAsync(connection);

            Assert.Empty(errors.Select(e => e.Message));
            corp.Sandbox.ClearFaults();
            await WriteBatch.AssertAppliedOnceAsync(corp, Connect(corp));
        }

        [Fact]
        public async Task Any_api_call_whose_answer_was_lost_is_confirmed_the_same_way()
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(5, 20));
            var connection = Connect(corp);
            corp.Sandbox.Inject("user/delete", SandboxFault.Hung(afterApply: true));

            await connection.InvokeAsync("GET", "user/delete", new Dictionary<string, string> { ["userid"] = "u000003" }, null, CancellationToken.None);

            Assert.Equal(2, corp.Sandbox.CallCount("user/delete"));
            Assert.Equal(1, corp.Sandbox.SucceededCount("user/delete"));
            var error = await Assert.ThrowsAsync<WeComException>(() => connection.InvokeAsync("GET", "user/get", new Dictionary<string, string> { ["userid"] = "u000003" }, null, CancellationToken.None));
            Assert.Equal(60111, error.ErrCode);
        }

        [Fact]
        public async Task A_refused_retry_that_the_lost_attempt_did_not_cause_stays_an_error()
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(5, 20));
            var connection = Connect(corp);
            corp.Sandbox.Inject("user/create", SandboxFault.ConnectionReset(afterApply: true));

            // u000001 exists already, with another name: the lost attempt was refused as well, and the retry says so.
            var results = await connection.Users.CreateAsync(new[] { new WeComUserChange { UserId = "u000001", Name = "另一个人", Email = "other@example.com" } }).ToListAsync();

            var error = Assert.Single(results).Error;
            Assert.NotNull(error);
            Assert.Equal(60102, error!.ErrCode);
            Assert.Equal(2, corp.Sandbox.CallCount("user/create"));
            Assert.Equal(1, corp.Sandbox.CallCount("user/get"));
        }

        [Fact]
        public async Task A_fault_that_outlasts_the_retry_budget_fails_its_department_and_everything_else_is_returned()
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(60, 1500, seed: 9));
            // No short timeouts here: calls are counted, and a slow machine must not add retries.
            var connection = corp.Connect(maxAttempts: 5);
            var everyone = await connection.Users.GetAllAsync().ValuesAsync();
            const int broken = 17;
            var onlyThere = (await connection.Users.GetByDepartmentAsync(new[] { broken }, recurse: false).ValuesAsync())
                .Where(u => u.Department!.All(d => d == broken)).Select(u => u.UserId).ToHashSet();
            Assert.NotEmpty(onlyThere);
            corp.Sandbox.AddFaults(new FaultSchedule(Seed, 1.0, SandboxFault.Http(503)) { Where = c => c.Path == "user/list" && c.Query["department_id"] == "17" });
            corp.Sandbox.ResetStatistics();

            var results = await connection.Users.GetAllAsync().ToListAsync();

            var failure = Assert.Single(results, r => r.Error != null);
            Assert.Equal(broken, failure.Target);
            Assert.StartsWith("Members of department 17: ", failure.Error!.Message);
            Assert.Contains("HTTP 503", failure.Error.Message);
            // Department 17 was tried 5 times (the retry budget), every other department once.
            Assert.Equal(59 + 5, corp.Sandbox.CallCount("user/list"));
            var returned = results.Where(r => r.Error is null).Select(r => r.Value!.UserId).ToList();
            Assert.Equal(returned.Count, returned.Distinct().Count());
            Assert.Equal(everyone.Select(u => u.UserId).Where(id => !onlyThere.Contains(id)).OrderBy(id => id), returned.OrderBy(id => id));
        }

        [Fact]
        public async Task A_write_that_outlasts_the_retry_budget_fails_only_its_item()
        {
            await using var corp = await TestCorp.StartAsync(OrganisationGenerator.Generate(5, 20));
            var connection = Connect(corp);
            corp.Sandbox.AddFaults(new FaultSchedule(Seed, 1.0, SandboxFault.Error(45033)) { Where = c => c.Path == "user/create" && c.Body!.Contains("\"new2\"") });
            var users = Enumerable.Range(1, 3).Select(i => new WeComUserChange { UserId = "new" + i, Name = "新" + i, Email = $"new{i}@example.com" }).ToList();

            var results = await connection.Users.CreateAsync(users).ToListAsync();

            Assert.Equal(new[] { "new1", "new3" }, results.Where(r => r.Error is null).Select(r => r.Value!.UserId));
            var failure = Assert.Single(results, r => r.Error != null);
            Assert.Equal("new2", failure.Target);
            Assert.StartsWith("User 'new2': ", failure.Error!.Message);
            Assert.Equal(45033, failure.Error.ErrCode);
            Assert.Equal(2, corp.Sandbox.SucceededCount("user/create"));
        }

        private static WeComConnection Connect(TestCorp corp) =>
            corp.Connect(maxAttempts: 5, attemptTimeout: TimeSpan.FromMilliseconds(300));

        private static IEnumerable<string> GeneratedUserIds(int members) => Enumerable.Range(1, members).Select(n => "u" + n.ToString("D6"));
    }
}
