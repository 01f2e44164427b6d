# Shared by the Pester suites: the built module, and the sandbox served over loopback HTTP.
$script:ModulePath = Join-Path $PSScriptRoot '../../out/WeComPS/WeComPS.psd1'
$script:SandboxCorpId = 'wwsandbox0000000001'
$script:SandboxSecret = 'sandbox-contacts-sync-secret'
$script:SandboxAppSecret = 'sandbox-app-secret'

function ConvertTo-TestSecret([string] $Text) {
    $secure = [System.Security.SecureString]::new()
    foreach ($c in $Text.ToCharArray()) { $secure.AppendChar($c) }
    $secure
}

# Starts the sample corp on a free loopback port in its own process, its debug endpoints on unless -NoDebugEndpoints;
# returns the process and its base URI. -Arguments are the server's options, e.g. '--generate', '20000', '--latency-ms', '200'.
function Start-TestSandboxServer([string[]] $Arguments = @(), [switch] $NoDebugEndpoints) {
    if (-not $NoDebugEndpoints) { $Arguments += '--debug-endpoints' }
    $dll = Get-ChildItem (Join-Path $PSScriptRoot '../../src/WeComPS.Sandbox.Server/bin') -Recurse -Filter WeComPS.Sandbox.Server.dll |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $dll) { throw 'Build the solution first: the sandbox server is not built.' }
    # Never an address an earlier server of this process had: tokens cached for it (in any runspace) would be sent
    # to the new server and refused, one more token fetch than a test expects.
    if ($null -eq $global:WeComPSTestSandboxAddresses) { $global:WeComPSTestSandboxAddresses = [System.Collections.Generic.HashSet[string]]::new() }
    while ($true) {
        $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet', "`"$($dll.FullName)`" 0 $($Arguments -join ' ')")
        $info.RedirectStandardOutput = $true
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $line = $process.StandardOutput.ReadLine()
        if ($line -notmatch '(http://127\.0\.0\.1:\d+/cgi-bin/)') {
            $process.Kill()
            throw "The sandbox server did not start: $line"
        }
        $server = [pscustomobject]@{ Process = $process; BaseUri = [uri]$Matches[1] }
        if ($global:WeComPSTestSandboxAddresses.Add($server.BaseUri.Authority)) { return $server }
        Stop-TestSandboxServer $server
    }
}

function Stop-TestSandboxServer($Server) {
    $Server.Process.Kill()
    $Server.Process.WaitForExit()
}

# A new sample corp on its own server (the previous one stopped), connected with the contacts-sync secret: changes never leak between suites.
function Connect-FreshCorp {
    if ($script:server) { Stop-TestSandboxServer $script:server }
    $script:server = Start-TestSandboxServer
    Connect-Corp | Out-Null
}

function Connect-Corp([string] $Secret = $SandboxSecret, [string] $Name = $SandboxCorpId) {
    Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $Secret) -BaseUri $script:server.BaseUri -Name $Name -PassThru
}

# The server's debug endpoints (loopback only): GET stats and tokens, POST inject, latency and reset.
function Invoke-TestSandboxDebug($Server, [string] $Path, [string] $Method = 'Get') {
    Invoke-RestMethod -Method $Method -Uri ([uri]::new($Server.BaseUri, "/debug/$Path"))
}
