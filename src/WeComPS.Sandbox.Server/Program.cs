using System;
using System.Threading;
using WeComPS.Sandbox;

// Serves a sandbox corp on loopback until Ctrl+C, for clients other than the module's built-in -Sandbox: the sample
// corp, or with --generate a large one, with optional latency and faults (see ServerOptions).
var options = ServerOptions.Parse(args);
await using var server = await SandboxServer.StartAsync(options.CreateSandbox(), options.Port);
Console.WriteLine($"WeCom sandbox listening at {server.BaseUri}");
Console.WriteLine($"  corp id:                {WeComSandbox.SampleCorpId}");
Console.WriteLine($"  contacts-sync secret:   {WeComSandbox.SampleContactsSecret}");
Console.WriteLine($"  contacts-sync secret from a new IP (48009 on details): {WeComSandbox.SampleNewIpContactsSecret}");
Console.WriteLine($"  app secret, whole corp: {WeComSandbox.SampleDirectoryAppSecret}");
Console.WriteLine($"  app secret (邮箱产品部): {WeComSandbox.SampleAppSecret}");
Console.WriteLine($"  app secret, caller IP not trusted (60020): {WeComSandbox.SampleUntrustedAppSecret}");
Console.WriteLine("In PowerShell:");
Console.WriteLine($"  Connect-WeCom -BaseUri {server.BaseUri} -CorpId {WeComSandbox.SampleCorpId} -Secret (Read-Host -AsSecureString)");
Console.WriteLine("Press Ctrl+C to stop.");
using var stop = new ManualResetEventSlim();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
stop.Wait();
