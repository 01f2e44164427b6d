using System;
using System.Threading;
using WeComPS.Sandbox;

// Serves a sandbox corp on loopback until Ctrl+C, for clients other than the module's built-in -Sandbox: the sample
// corp, or with --generate a large one, with optional latency and faults (see ServerOptions).
var options = ServerOptions.Parse(args);
await using var server = await SandboxServer.StartAsync(options.CreateSandbox(), options.Port);
// With --proxy, clients reach the sandbox through a fault injector (FaultProxy), which forwards everything else too.
await using var proxy = options.Proxy ? await FaultProxy.StartAsync(server.BaseUri) : null;
Console.WriteLine($"WeCom sandbox listening at {proxy?.BaseUri ?? server.BaseUri}");
Console.WriteLine($"  corp id:                {WeComSandbox.SampleCorpId}");
Console.WriteLine($"  contacts-sync secret:   {WeComSandbox.SampleContactsSecret}");
Console.WriteLine($"  app secret (邮箱产品部): {WeComSandbox.SampleAppSecret}");
Console.WriteLine("In PowerShell:");
Console.WriteLine($"  Connect-WeCom -BaseUri {server.BaseUri} -CorpId {WeComSandbox.SampleCorpId} -Secret (Read-Host -AsSecureString)");
Console.WriteLine("Press Ctrl+C to stop.");
using var stop = new ManualResetEventSlim();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
stop.Wait();
