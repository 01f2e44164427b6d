using System;
using System.Globalization;
using System.Threading;
using WeComPS.Sandbox;

// Serves the sample corp on loopback until Ctrl+C, for clients other than the module's built-in -Sandbox.
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 0;
await using var server = await SandboxServer.StartAsync(WeComSandbox.CreateSample(), port);
Console.WriteLine($"WeCom sandbox listening at {server.BaseUri}");
Console.WriteLine($"  corp id:                {WeComSandbox.SampleCorpId}");
Console.WriteLine($"  contacts-sync secret:   {WeComSandbox.SampleContactsSecret}");
Console.WriteLine($"  app secret (邮箱产品部): {WeComSandbox.SampleAppSecret}");
Console.WriteLine("In PowerShell:");
Console.WriteLine($"  Connect-WeCom -BaseUri {server.BaseUri} -CorpId {WeComSandbox.SampleCorpId} -Secret (Read-Host -AsSecureString)");
Console.WriteLine("Press Ctrl+C to stop.");
using var stop = new ManualResetEventSlim();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
stop.Wait();
