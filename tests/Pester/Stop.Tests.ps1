# Ctrl+C on a change: no new item starts, the ones already sent settle, and each is reported on the host (a stopped
# pipeline takes no more output), with one line saying how far the command got. A child PowerShell gets a real SIGINT
# while the fault proxy holds its creates in flight.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $script:pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })

    # Starts a child PowerShell that creates 20 members, 3 at once, and stops it with SIGINT once 3 creates reached the
    # proxy; returns what it wrote to the host's error stream and its exit code.
    function Stop-Hiring([string] $Delay, [string] $Before = '') {
        Invoke-RestMethod -Method Post -Uri ([uri]::new($server.BaseUri, "/proxy/reset")) | Out-Null
        Invoke-RestMethod -Method Post -Uri ([uri]::new($server.BaseUri, "/proxy/rule?rule=$([uri]::EscapeDataString("user/create=delay:$Delay"))")) | Out-Null
        $child = @"
Import-Module '$((Resolve-Path $ModulePath).Path)'
`$secret = [securestring]::new(); '$SandboxSecret'.ToCharArray() | ForEach-Object { `$secret.AppendChar(`$_) }
Connect-WeCom -CorpId $SandboxCorpId -Secret `$secret -BaseUri '$($server.BaseUri)'
$Before
1..20 | ForEach-Object { [pscustomobject]@{ UserId = 'Hire{0:D2}' -f `$_; Name = '新员工' + `$_; Email = 'hire{0:D2}@example.com' -f `$_; Department = 1 } } |
    New-WeComUser -MaxConcurrency 3 -Confirm:`$false
'not reached'
"@
        $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
        foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $child) { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $out = $process.StandardOutput.ReadToEndAsync()
        $err = $process.StandardError.ReadToEndAsync()
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        do {
            Start-Sleep -Milliseconds 50
            $received = (Get-ProxyStats).received.'user/create'
        } until ($received -ge 3 -or $process.HasExited -or [datetime]::UtcNow -gt $deadline)
        $received | Should -Be 3 -Because 'three creates should be in flight when the child is stopped'
        kill -INT $process.Id
        $process.WaitForExit(60000) | Should -BeTrue
        [pscustomobject]@{ Output = $out.Result; Errors = $err.Result; ExitCode = $process.ExitCode }
    }
    function Get-ProxyStats { Invoke-RestMethod -Uri ([uri]::new($server.BaseUri, '/proxy/stats')) }
}

Describe 'Stopping a change with Ctrl+C' -Tag CI -Skip:$IsWindows {
    BeforeAll {
        $script:server = Start-TestSandboxServer -Arguments @('--proxy')
        Connect-Corp | Out-Null
    }
    AfterAll { Stop-TestSandboxServer $script:server }

    It 'lets the creates in flight finish, starts no other, and reports each' {
        $stopped = Stop-Hiring -Delay 1500

        $stopped.Output | Should -Not -Match 'not reached'
        $stopped.ExitCode | Should -Not -Be 0
        $stopped.Errors | Should -Match ([regex]::Escape("Stopped (3 of 20 done, 17 not sent): in flight then: User 'Hire01' done, User 'Hire02' done, User 'Hire03' done."))
        $stopped.Errors | Should -Match 'Items not sent were not changed'
        (Get-ProxyStats).forwarded.'user/create' | Should -Be 3
        (Get-WeComUser -UserId Hire01, Hire02, Hire03).UserId | Should -Be Hire01, Hire02, Hire03
        Get-WeComUser -UserId Hire04 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'names each change still open after the grace as outcome unknown' {
        $stopped = Stop-Hiring -Delay 4000 -Before '(Get-WeComConnection -Current).Retry.StopGrace = [timespan]::FromMilliseconds(300)'

        $stopped.Errors | Should -Match "User 'Hire01': WeCom call user/create may or may not have been applied: the command was stopped while the request was in flight"
        $stopped.Errors | Should -Match "Check User 'Hire03' in WeCom before changing it again"
        $stopped.Errors | Should -Match ([regex]::Escape("Stopped (0 of 20 done, 17 not sent)"))
    }

    It 'says how far it got when -ErrorAction Stop ends it' {
        Invoke-RestMethod -Method Post -Uri ([uri]::new($server.BaseUri, "/proxy/reset")) | Out-Null
        Invoke-RestMethod -Method Post -Uri ([uri]::new($server.BaseUri, "/proxy/rule?rule=$([uri]::EscapeDataString('user/create=delay:800'))")) | Out-Null
        # In a child PowerShell: the closing line goes to its host, since the stopped pipeline takes no warning.
        $child = @"
Import-Module '$((Resolve-Path $ModulePath).Path)'
`$secret = [securestring]::new(); '$SandboxSecret'.ToCharArray() | ForEach-Object { `$secret.AppendChar(`$_) }
Connect-WeCom -CorpId $SandboxCorpId -Secret `$secret -BaseUri '$($server.BaseUri)'
`$rows = @([pscustomobject]@{ UserId = 'LiSi'; Name = 'LiSi'; Email = 'lisi.again@example.com'; Department = 1 }) +
    @(2..10 | ForEach-Object { [pscustomobject]@{ UserId = 'Late{0:D2}' -f `$_; Name = 'Late' + `$_; Email = 'late{0:D2}@example.com' -f `$_; Department = 1 } })
try { `$rows | New-WeComUser -MaxConcurrency 3 -Confirm:`$false -ErrorAction Stop } catch { 'caught: ' + `$_.Exception.Message }
"@
        $output = & $pwsh -NoProfile -NonInteractive -Command $child 2>&1 | ForEach-Object { "$_" }

        $output | Should -Contain ($output | Where-Object { $_ -like 'caught: *LiSi*' } | Select-Object -First 1)
        $closing = ($output | Where-Object { $_ -match 'Stopped \(' }) -join ' '
        $closing -match "Stopped \((\d) of 10 done, (\d) not sent\): in flight then: User 'Late0\d' done" | Should -BeTrue -Because $closing
        [int]$Matches[1] + [int]$Matches[2] | Should -Be 9 -Because 'LiSi failed; every other item is done or not sent'
        (Get-WeComUser -UserId Late02).UserId | Should -Be Late02
    }
}
