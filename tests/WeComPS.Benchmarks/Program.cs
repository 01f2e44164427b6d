using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using WeComPS;
using WeComPS.Benchmarks;
using WeComPS.Sandbox;

// Drives the Core operations, as the cmdlets do, against the sandbox served on loopback HTTP with a fixed latency per
// call, on a generated corp. Prints wall times against the sequential walk and the lower bound, the calls made, and
// memory while streaming. Options: --latency-ms N (20) --departments N (1000) --members N (50000) --runs N (3).
// With --sync, times whole-directory member syncs of 5,000 and 50,000 rows instead (SyncBenchmark).
var options = Options.Parse(args);
if (options.Sync)
{
    await SyncBenchmark.RunAsync(Secure(WeComSandbox.SampleContactsSecret));
    return;
}

var latency = TimeSpan.FromMilliseconds(options.LatencyMs);
var concurrency = WeComConnection.DefaultMaxConcurrency;
var report = new Report();

var watch = Stopwatch.StartNew();
var sandbox = OrganisationGenerator.Generate(options.Departments, options.Members);
await using var server = await SandboxServer.StartAsync(sandbox);
var sync = new WeComConnection(WeComSandbox.SampleCorpId, Secure(WeComSandbox.SampleContactsSecret), server.BaseUri, "sync");
var app = new WeComConnection(WeComSandbox.SampleCorpId, Secure(WeComSandbox.SampleAppSecret), server.BaseUri, "app");
Console.WriteLine($"WeComPS benchmark: {options.Departments:N0} departments, {options.Members:N0} members, {options.LatencyMs} ms latency per call, sandbox on {server.BaseUri}");
Console.WriteLine($"Corp generated in {watch.Elapsed.TotalSeconds:0.0} s; warming up (untimed reads without latency, until the JIT has optimised the hot paths)...");
for (var i = 0; i < 3; i++)
{
    await ReadEveryoneAsync(sync, concurrency, null);
}

sandbox.Latency = latency;

var sequential = await TimeReadAsync(sync, 1);
var runs = new List<Read>();
for (var i = 0; i < options.Runs; i++)
{
    runs.Add(await TimeReadAsync(sync, concurrency, measureMemory: i == 0));
}

var concurrent = runs.OrderBy(r => r.Elapsed).ElementAt(runs.Count / 2);
var bound = TimeSpan.FromTicks(latency.Ticks * concurrent.Calls / concurrency);

var tag = (await Single(sync.Tags.CreateAsync(new[] { new WeComTagChange { TagName = "全员" } }))).TagId;
var tagged = await Count(sync.Tags.AddMembersAsync(tag, Enumerable.Range(1, 10000).Select(n => "u" + n.ToString("D6", CultureInfo.InvariantCulture)), new int[0]));
var tagCalls = sandbox.CallCount("tag/addtagusers");
// A second app (its visible scope is one department's subtree) reads as well: it fetches its own token, once.
await ReadEveryoneAsync(app, concurrency, null, root: 2);

report.Section($"Full recursive member read: everyone below department 1, {sequential.Members:N0} members");
report.Row("sequential walk (1 call at a time)", $"{sequential.Elapsed.TotalSeconds:0.00} s", $"{sequential.Calls:N0} calls");
report.Row($"concurrent ({concurrency} at a time), median of {runs.Count}", $"{concurrent.Elapsed.TotalSeconds:0.00} s", string.Join(", ", runs.Select(r => r.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s")));
report.Row("speed-up over the sequential walk", $"{sequential.Elapsed / concurrent.Elapsed:0.0}x", "aim: at least 6x");
report.Row($"lower bound: {concurrent.Calls:N0} calls / {concurrency} x {options.LatencyMs} ms", $"{bound.TotalSeconds:0.00} s");
report.Row("concurrent read against the lower bound", $"{concurrent.Elapsed / bound:0.00}x", "aim: within 1.3x");
report.Row("first member streamed out after", $"{concurrent.FirstMember.TotalSeconds:0.00} s", $"of {concurrent.Elapsed.TotalSeconds:0.00} s");

report.Section("Calls made");
report.Row("gettoken, whole run, 2 apps", $"{sandbox.CallCount("gettoken")}", "aim: exactly 1 per app");
report.Row("user/list per read", $"{concurrent.ListCalls:N0}", $"one per department: {options.Departments:N0}");
report.Row("department/simplelist per read", $"{concurrent.Calls - concurrent.ListCalls}");
report.Row($"tag/addtagusers to tag {tagged:N0} users", $"{tagCalls}", "aim: 10");
report.Row("calls held back by the rate limiter", $"{RateLimiter.Shared.Waits}", "10,000 a minute per API: none expected");

report.Section($"Memory while streaming {concurrent.Members:N0} members (first concurrent read; the loopback sandbox shares the process)");
report.Row("managed heap growth, live at half-way (after a full GC)", $"{runs[0].LiveGrowth / 1e6:+0.0} MB");
report.Row("managed heap growth, highest sampled", $"{runs[0].PeakHeapGrowth / 1e6:+0.0} MB");
report.Row("working set growth, highest sampled", $"{runs[0].PeakWorkingSetGrowth / 1e6:+0.0} MB", "aim: under 100 MB");
// A plan for every member from rows as an HR export gives them (one in ten with a new position): one read of the
// tree and of every record, then the comparison in memory.
var desired = Enumerable.Range(1, options.Members).Select(n => new WeComDesiredUser(
    "U" + n.ToString("D6", CultureInfo.InvariantCulture),
    new Dictionary<string, string?>
    {
        ["Name"] = "成员" + n.ToString("D6", CultureInfo.InvariantCulture),
        ["Mobile"] = "139" + n.ToString("D8", CultureInfo.InvariantCulture),
        ["Position"] = n % 10 == 0 ? "高级工程师" : "工程师",
    })).ToList();
var planTimer = Stopwatch.StartNew();
var plan = await new DesiredStatePlanner(sync).PlanUsersAsync(desired, new WeComPlanOptions(), null, CancellationToken.None);
planTimer.Stop();
report.Section($"Plan for {desired.Count:N0} desired members (Compare-WeComUser)");
report.Row("time to plan", $"{planTimer.Elapsed.TotalSeconds:0.00} s", $"{plan.Count(WeComPlanAction.Update):N0} updates, {plan.Count(WeComPlanAction.Create):N0} creates, {plan.Invalid.Count} refused");
report.Row("plan against one concurrent read of everyone", $"{planTimer.Elapsed / concurrent.Elapsed:0.00}x", "the read of full records dominates");

report.Print();
Console.WriteLine($"Done in {watch.Elapsed.TotalSeconds:0} s.");

// One read of everyone, timed; with measureMemory, sampled for memory as it streams.
async Task<Read> TimeReadAsync(WeComConnection connection, int maxConcurrency, bool measureMemory = false)
{
    var before = sandbox.CallCounts;
    int Calls(string path) => sandbox.CallCount(path) - (before.TryGetValue(path, out var n) ? n : 0);
    var memory = measureMemory ? new MemoryProbe(options.Members / 2) : null;
    var timer = Stopwatch.StartNew();
    var first = TimeSpan.Zero;
    var members = await ReadEveryoneAsync(connection, maxConcurrency, n =>
    {
        if (n == 1)
        {
            first = timer.Elapsed;
        }

        memory?.Sample(n);
    });
    timer.Stop();
    var read = new Read(members, timer.Elapsed, first, Calls("department/simplelist") + Calls("user/list"), Calls("user/list"));
    if (memory != null)
    {
        (read.LiveGrowth, read.PeakHeapGrowth, read.PeakWorkingSetGrowth) = (memory.LiveGrowth, memory.PeakHeapGrowth, memory.PeakWorkingSetGrowth);
    }

    Console.WriteLine($"  read with {maxConcurrency} at a time: {members:N0} members in {timer.Elapsed.TotalSeconds:0.00} s");
    return read;
}

// Streams every member below department 1 as Get-WeComUser -DepartmentId 1 -Recurse does, keeping none.
static async Task<int> ReadEveryoneAsync(WeComConnection connection, int maxConcurrency, Action<int>? onMember, int root = 1)
{
    var count = 0;
    await foreach (var result in connection.Users.GetByDepartmentAsync(new[] { root }, recurse: true, maxConcurrency: maxConcurrency))
    {
        if (result.Error != null)
        {
            throw result.Error;
        }

        onMember?.Invoke(++count);
    }

    return count;
}

static async Task<T> Single<T>(IAsyncEnumerable<ItemResult<T>> results)
{
    await foreach (var result in results)
    {
        return result.Error is null ? result.Value! : throw result.Error;
    }

    throw new InvalidOperationException("No result.");
}

static async Task<int> Count<T>(IAsyncEnumerable<ItemResult<T>> results)
{
    var count = 0;
    await foreach (var result in results)
    {
        count += result.Error is null ? 1 : throw result.Error;
    }

    return count;
}

static SecureString Secure(string text)
{
    var secure = new SecureString();
    foreach (var c in text)
    {
        secure.AppendChar(c);
    }

    return secure;
}
