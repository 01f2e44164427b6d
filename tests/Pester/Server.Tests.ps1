# The sandbox server as a process: its debug endpoints only when asked for and only to a loopback Host, and a clean stop on a signal.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Add-Type -AssemblyName System.Net.Http  # loaded already on PowerShell 7, not on Windows PowerShell

    # The status code of GET /debug/stats, sent with -HostHeader as the request's Host when given.
    function Get-DebugStatus($Server, [string] $HostHeader) {
        $client = [System.Net.Http.HttpClient]::new()
        try {
            $request = [System.Net.Http.HttpRequestMessage]::new('Get', [uri]::new($Server.BaseUri, '/debug/stats'))
            if ($HostHeader) { $request.Headers.Host = $HostHeader }
            [int]$client.SendAsync($request).GetAwaiter().GetResult().StatusCode
        }
        finally { $client.Dispose() }
    }

    # Sends a POSIX signal to the server and waits for it to exit; returns its exit code and what it printed after starting.
    function Send-Signal($Server, [string] $Signal) {
        & kill -s $Signal $Server.Process.Id
        $exited = $Server.Process.WaitForExit(15000)
        if (-not $exited) { $Server.Process.Kill() }
        [pscustomobject]@{ Exited = $exited; ExitCode = $(if ($exited) { $Server.Process.ExitCode }); Output = $Server.Process.StandardOutput.ReadToEnd() }
    }
}

Describe 'The sandbox server''s debug endpoints' -Tag CI {
    It 'serves none without --debug-endpoints' {
        $server = Start-TestSandboxServer -NoDebugEndpoints
        try {
            Get-DebugStatus $server | Should -Be 404
            # The API itself is served.
            (Invoke-RestMethod ([uri]::new($server.BaseUri, "gettoken?corpid=$SandboxCorpId&corpsecret=$SandboxSecret"))).errcode | Should -Be 0
        }
        finally { Stop-TestSandboxServer $server }
    }

    It 'with --debug-endpoints answers a loopback Host and refuses any other' {
        $server = Start-TestSandboxServer
        try {
            Get-DebugStatus $server | Should -Be 200
            Get-DebugStatus $server -HostHeader "localhost:$($server.BaseUri.Port)" | Should -Be 200
            Get-DebugStatus $server -HostHeader 'attacker.example' | Should -Be 403
            Get-DebugStatus $server -HostHeader "attacker.example:$($server.BaseUri.Port)" | Should -Be 403
        }
        finally { Stop-TestSandboxServer $server }
    }
}

Describe 'Stopping the sandbox server' -Tag CI -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
    It 'stops cleanly on <Signal>' -TestCases @(@{ Signal = 'TERM' }, @{ Signal = 'INT' }) {
        $server = Start-TestSandboxServer
        (Invoke-RestMethod ([uri]::new($server.BaseUri, "gettoken?corpid=$SandboxCorpId&corpsecret=$SandboxSecret"))).errcode | Should -Be 0
        $stopped = Send-Signal $server $Signal
        $stopped.Exited | Should -BeTrue
        $stopped.ExitCode | Should -Be 0
        $stopped.Output | Should -Match 'Stopped\.'
    }
}
