using System;
using System.Runtime.InteropServices;
using System.Threading;
using WeComPS.Sandbox;

// Serves a sandbox corp on loopback until Ctrl+C or SIGTERM, for clients other than the module's built-in -Sandbox: the
// sample corp, or with --generate a large one, with optional latency and faults (see ServerOptions).
ServerOptions options;
try
{
    options = ServerOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var stop = new ManualResetEventSlim();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Set();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await using (var server = await SandboxServer.StartAsync(options.CreateSandbox(), options.Port, options.DebugEndpoints))
// With --proxy, clients reach the sandbox through a fault injector (FaultProxy), which forwards everything else too.
await using (var proxy = options.Proxy ? await FaultProxy.StartAsync(server.BaseUri) : null)
{
    Console.WriteLine($"WeCom sandbox listening at {proxy?.BaseUri ?? server.BaseUri}");
    Console.WriteLine($"  corp id:                {WeComSandbox.SampleCorpId}");
    Console.WriteLine($"  contacts-sync secret:   {WeComSandbox.SampleContactsSecret}");
    Console.WriteLine($"  contacts-sync secret from a new IP (48009 on details): {WeComSandbox.SampleNewIpContactsSecret}");
    Console.WriteLine($"  app secret, whole corp: {WeComSandbox.SampleDirectoryAppSecret}");
    Console.WriteLine($"  app secret (邮箱产品部): {WeComSandbox.SampleAppSecret}");
    Console.WriteLine($"  app secret, caller IP not trusted (60020): {WeComSandbox.SampleUntrustedAppSecret}");
    Console.WriteLine(options.DebugEndpoints ? "  debug endpoints:        /debug/ (stats, tokens, inject, latency, reset), loopback Host only" : "  debug endpoints:        off (--debug-endpoints turns them on)");
    Console.WriteLine("In PowerShell:");
    Console.WriteLine($"  Connect-WeCom -BaseUri {proxy?.BaseUri ?? server.BaseUri} -CorpId {WeComSandbox.SampleCorpId} -Secret (Read-Host -AsSecureString)");
    Console.WriteLine("Press Ctrl+C to stop.");
    stop.Wait();
    Console.WriteLine("Stopping...");
}

Console.WriteLine("Stopped.");
return 0;
