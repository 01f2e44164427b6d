# Long reads in real PowerShell: stopping them (Ctrl+C is PowerShell.Stop()), and many runspaces sharing one app.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    # A generated corp (by default 400 departments and 8,000 members) on its own server, so its token and statistics are this suite's.
    function Start-LargeCorp([int] $LatencyMs, [int] $Departments = 400, [int] $Members = 8000) {
        Start-TestSandboxServer -Arguments '--generate', $Members, '--departments', $Departments, '--latency-ms', $LatencyMs
    }

    # A script that connects to $Uri and reads every member below the root, for another runspace.
    $script:readEveryone = {
        param($ModulePath, $Uri, $CorpId, $Secret, $MaxConcurrency)
        Import-Module $ModulePath
        Connect-WeCom -CorpId $CorpId -Secret (ConvertTo-SecureString $Secret -AsPlainText -Force) -BaseUri $Uri | Out-Null
        Get-WeComUser -DepartmentId 1 -Recurse -Simple -MaxConcurrency $MaxConcurrency
    }
}

Describe 'Stopping a long read' -Tag CI {
    BeforeAll { $server = Start-LargeCorp -LatencyMs 1000 }
    AfterAll { Stop-TestSandboxServer $server }

    It 'stops Get-WeComUser -Recurse within a second and abandons the requests in flight' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript($readEveryone).AddArgument($ModulePath).AddArgument($server.BaseUri).AddArgument($SandboxCorpId).AddArgument($SandboxSecret).AddArgument(8)
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        try {
            $null = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            # Each call takes a second: wait for the first members, while the next departments are being read.
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($output.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $output.Count | Should -BeGreaterThan 0
            # The next 8 departments are being read: stop while their calls are in flight.
            while ((Invoke-TestSandboxDebug $server stats).inFlight -lt 8 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            (Invoke-TestSandboxDebug $server stats).inFlight | Should -Be 8

            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Stop()

            $watch.Elapsed.TotalSeconds | Should -BeLessThan 1
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            # Unanswered, those calls would still be running for up to a second: the server saw them abandoned.
            Start-Sleep -Milliseconds 100
            $stats = Invoke-TestSandboxDebug $server stats
            $stats.inFlight | Should -Be 0
            $stats.cancelled | Should -BeGreaterOrEqual 8
            $output.Count | Should -BeLessThan 8000
        }
        finally {
            $ps.Dispose()
        }
    }
}

Describe 'Requests at once' -Tag CI {
    BeforeAll {
        $server = Start-LargeCorp -LatencyMs 30 -Departments 120 -Members 2400
        function Get-MostInFlight([scriptblock] $Read) {
            Invoke-TestSandboxDebug $server reset -Method Post | Out-Null
            $users = & $Read
            $users.Count | Should -Be 2400
            (Invoke-TestSandboxDebug $server stats).maxInFlight
        }
    }
    AfterAll {
        Get-WeComConnection | Disconnect-WeCom
        Stop-TestSandboxServer $server
    }

    It 'are 8 by default, else what Connect-WeCom says, else what the call says' {
        Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $SandboxSecret) -BaseUri $server.BaseUri | Out-Null
        Get-MostInFlight { Get-WeComUser -DepartmentId 1 -Recurse -Simple } | Should -Be 8
        Get-MostInFlight { Get-WeComUser -DepartmentId 1 -Recurse -Simple -MaxConcurrency 3 } | Should -Be 3
        Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $SandboxSecret) -BaseUri $server.BaseUri -MaxConcurrency 5 | Out-Null
        Get-MostInFlight { Get-WeComUser -Simple } | Should -Be 5
        Get-MostInFlight { Get-WeComUser -Simple -MaxConcurrency 12 } | Should -Be 12
    }
}

Describe 'Many runspaces using one app' -Tag CI {
    BeforeEach { $server = Start-LargeCorp -LatencyMs 5 }
    AfterEach { Stop-TestSandboxServer $server }

    It 'shares one token fetch across ForEach-Object -Parallel and each runspace reads everyone once' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
        $read = $readEveryone.ToString()
        $uri = $server.BaseUri
        $counts = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
            $users = & ([scriptblock]::Create($using:read)) $using:ModulePath $using:uri $using:SandboxCorpId $using:SandboxSecret 4
            [pscustomobject]@{ Count = $users.Count; Unique = ($users.UserId | Sort-Object -Unique).Count }
        }

        $counts.Count | Should -Be 8
        $counts | ForEach-Object { $_.Count | Should -Be 8000; $_.Unique | Should -Be 8000 }
        $stats = Invoke-TestSandboxDebug $server stats
        $stats.calls.gettoken | Should -Be 1
        $stats.calls.'user/simplelist' | Should -Be (8 * 400)
    }

    It 'shares one token fetch across thread jobs' -Skip:(-not (Get-Command Start-ThreadJob -ErrorAction SilentlyContinue)) {
        $jobs = 1..4 | ForEach-Object {
            Start-ThreadJob -ScriptBlock $readEveryone -ArgumentList $ModulePath, $server.BaseUri, $SandboxCorpId, $SandboxSecret, 4
        }
        $users = $jobs | Receive-Job -Wait -AutoRemoveJob -ErrorVariable jobErrors

        $jobErrors | Should -BeNullOrEmpty
        $users.Count | Should -Be (4 * 8000)
        ($users.UserId | Sort-Object -Unique).Count | Should -Be 8000
        (Invoke-TestSandboxDebug $server stats).calls.gettoken | Should -Be 1
    }
}
